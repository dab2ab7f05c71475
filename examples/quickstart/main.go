// Command quickstart is the README's walkthrough as a program: it creates an
// instance on a running Switchboard, starts a chat and a task through the
// instance's default inbound flow, and describes them.
//
//	export AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… AWS_REGION=us-east-1
//	go run ./examples/quickstart -endpoint http://127.0.0.1:2600
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
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
	return nil
}
