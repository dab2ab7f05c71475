// Command quickstart is the README's walkthrough as a program: it creates an
// instance on a running Switchboard, starts a chat and a task through the
// instance's default inbound flow, describes them, then attaches a file to
// an email.
//
//	export AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… AWS_REGION=us-east-1
//	go run ./examples/quickstart -endpoint http://127.0.0.1:2600
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:2600", "Switchboard's URL")
	flag.Parse()
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	client := connect.NewFromConfig(cfg, func(o *connect.Options) { o.BaseEndpoint = aws.String(*endpoint) })
	if err := walkthrough(ctx, client); err != nil {
		log.Fatal(err)
	}
}

func walkthrough(ctx context.Context, client *connect.Client) error {
	// 1. An instance, provisioned like Connect's: Basic Hours, BasicQueue,
	//    default flows, Available/Offline statuses, Admin/Agent profiles.
	inst, err := client.CreateInstance(ctx, &connect.CreateInstanceInput{
		IdentityManagementType: types.DirectoryTypeConnectManaged,
		InstanceAlias:          aws.String(fmt.Sprintf("quickstart-%d", time.Now().Unix())),
		InboundCallsEnabled:    aws.Bool(true),
		OutboundCallsEnabled:   aws.Bool(true),
	})
	if err != nil {
		return fmt.Errorf("create instance: %w", err)
	}
	fmt.Println("instance:", *inst.Id)

	// 2. The default inbound flow sends contacts to BasicQueue.
	flows, err := client.ListContactFlows(ctx, &connect.ListContactFlowsInput{
		InstanceId:       inst.Id,
		ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow},
	})
	if err != nil {
		return fmt.Errorf("list flows: %w", err)
	}
	flowID := flows.ContactFlowSummaryList[0].Id
	fmt.Println("inbound flow:", *flows.ContactFlowSummaryList[0].Name)

	// 3. A chat from a customer.
	chat, err := client.StartChatContact(ctx, &connect.StartChatContactInput{
		InstanceId:         inst.Id,
		ContactFlowId:      flowID,
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Ada")},
		Attributes:         map[string]string{"customerTier": "gold"},
		InitialMessage:     &types.ChatMessage{ContentType: aws.String("text/plain"), Content: aws.String("Hello, my order is late")},
	})
	if err != nil {
		return fmt.Errorf("start chat: %w", err)
	}
	fmt.Println("chat contact:", *chat.ContactId, "participant:", *chat.ParticipantId)

	// 4. A task, with a reference and routing data.
	task, err := client.StartTaskContact(ctx, &connect.StartTaskContactInput{
		InstanceId:    inst.Id,
		ContactFlowId: flowID,
		Name:          aws.String("Call Ada back about order 1234"),
		References: map[string]types.Reference{
			"order": {Type: types.ReferenceTypeUrl, Value: aws.String("https://shop.example.com/orders/1234")},
		},
	})
	if err != nil {
		return fmt.Errorf("start task: %w", err)
	}
	if _, err := client.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{
		InstanceId: inst.Id, ContactId: task.ContactId, QueuePriority: aws.Int64(1),
	}); err != nil {
		return fmt.Errorf("update routing data: %w", err)
	}

	// 5. Describe both.
	for _, id := range []*string{chat.ContactId, task.ContactId} {
		d, err := client.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: inst.Id, ContactId: id})
		if err != nil {
			return fmt.Errorf("describe contact: %w", err)
		}
		c := d.Contact
		fmt.Printf("%s %s via %s, initiated %s, priority %d, attributes %v\n",
			c.Channel, *c.Id, c.InitiationMethod, c.InitiationTimestamp.Format(time.RFC3339), aws.ToInt64(c.QueuePriority), c.Attributes)
	}

	// 6. An email to one of the instance's addresses, and a file attached
	//    to it. The upload and download URLs are plain HTTP, signed like
	//    presigned S3 URLs.
	if _, err := client.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{
		InstanceId: inst.Id, EmailAddress: aws.String("support@shop.example"),
	}); err != nil {
		return fmt.Errorf("create email address: %w", err)
	}
	email, err := client.StartEmailContact(ctx, &connect.StartEmailContactInput{
		InstanceId:              inst.Id,
		FromEmailAddress:        &types.EmailAddressInfo{EmailAddress: aws.String("ada@example.com")},
		DestinationEmailAddress: aws.String("support@shop.example"),
		EmailMessage: &types.InboundEmailContent{MessageSourceType: types.InboundMessageSourceTypeRaw,
			RawMessage: &types.InboundRawMessage{Subject: aws.String("Invoice"), Body: aws.String("See the attachment."), ContentType: aws.String("text/plain")}},
	})
	if err != nil {
		return fmt.Errorf("start email contact: %w", err)
	}
	d, err := client.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: inst.Id, ContactId: email.ContactId})
	if err != nil {
		return fmt.Errorf("describe email contact: %w", err)
	}
	content := []byte("Total: 42 EUR\n")
	up, err := client.StartAttachedFileUpload(ctx, &connect.StartAttachedFileUploadInput{
		InstanceId: inst.Id, FileName: aws.String("invoice.txt"), FileSizeInBytes: aws.Int64(int64(len(content))),
		FileUseCaseType: types.FileUseCaseTypeAttachment, AssociatedResourceArn: d.Contact.Arn,
	})
	if err != nil {
		return fmt.Errorf("start attached file upload: %w", err)
	}
	if _, err := transfer(ctx, http.MethodPut, *up.UploadUrlMetadata.Url, content); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	if _, err := client.CompleteAttachedFileUpload(ctx, &connect.CompleteAttachedFileUploadInput{
		InstanceId: inst.Id, FileId: up.FileId, AssociatedResourceArn: d.Contact.Arn,
	}); err != nil {
		return fmt.Errorf("complete attached file upload: %w", err)
	}
	file, err := client.GetAttachedFile(ctx, &connect.GetAttachedFileInput{InstanceId: inst.Id, FileId: up.FileId, AssociatedResourceArn: d.Contact.Arn})
	if err != nil {
		return fmt.Errorf("get attached file: %w", err)
	}
	got, err := transfer(ctx, http.MethodGet, *file.DownloadUrlMetadata.Url, nil)
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	if !bytes.Equal(got, content) {
		return fmt.Errorf("downloaded %q, uploaded %q", got, content)
	}
	fmt.Printf("email %s has %s (%s, %d bytes)\n", *email.ContactId, *file.FileName, file.FileStatus, aws.ToInt64(file.FileSizeInBytes))
	return nil
}

// transfer sends body to a file URL with method and returns the answer's
// body, which must come with a 200.
func transfer(ctx context.Context, method, url string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", resp.Status, b)
	}
	return b, nil
}
