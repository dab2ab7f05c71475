package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchboard-cc/switchboard/awsapi"
)

// clockCommand reads or moves the clock of a server started with
// --clock=virtual:
//
//	switchboard clock                 print the server's time
//	switchboard clock advance 90s     move it forward
//	switchboard clock set 2026-03-02T09:00:00Z
//
// It signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (as printed by
// serve), falling back to the credentials kept in --data-dir.
func clockCommand(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("switchboard clock", flag.ContinueOnError)
	endpoint := fs.String("endpoint", "http://"+DefaultAddr, "the server's `URL`")
	dataDir := fs.String("data-dir", defaultDataDir(), "`directory` whose credentials.json to use when AWS_ACCESS_KEY_ID is unset")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: switchboard clock [flags] [advance DURATION | set RFC3339-TIME]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var req *awsapi.ClockRequest
	switch rest := fs.Args(); {
	case len(rest) == 0:
	case len(rest) == 2 && rest[0] == "advance":
		req = &awsapi.ClockRequest{Advance: rest[1]}
	case len(rest) == 2 && rest[0] == "set":
		req = &awsapi.ClockRequest{Set: rest[1]}
	default:
		return fmt.Errorf("want no arguments, `advance DURATION` or `set TIME`, not %q", rest)
	}
	creds := aws.Credentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY")}
	if creds.AccessKeyID == "" {
		c, _, err := loadCredentials(*dataDir)
		if err != nil {
			return err
		}
		creds = aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey}
	}
	method, body := http.MethodGet, []byte(nil)
	if req != nil {
		method = http.MethodPost
		body, _ = json.Marshal(req)
	}
	hr, err := http.NewRequestWithContext(ctx, method, *endpoint+awsapi.ClockPath, bytes.NewReader(body))
	if err != nil {
		return err
	}
	hr.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, hr, hex.EncodeToString(sum[:]), "connect", DefaultRegion, time.Now()); err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return fmt.Errorf("is the server running at %s? %w", *endpoint, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		var e struct{ Message string }
		_ = json.Unmarshal(out, &e)
		return fmt.Errorf("%s: %s", resp.Header.Get("X-Amzn-ErrorType"), e.Message)
	}
	var c awsapi.ClockResponse
	if err := json.Unmarshal(out, &c); err != nil {
		return err
	}
	kind := "real"
	if c.Virtual {
		kind = "virtual"
	}
	fmt.Fprintf(stdout, "%s (%s clock)\n", c.Now.Format(time.RFC3339Nano), kind)
	return nil
}
