package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchboard-cc/switchboard/awsapi"
)

// progressEvery is how often (in records) a long export reports on stderr.
const progressEvery = 5000

// exportCommand writes the contact records of an instance to stdout as
// JSON lines:
//
//	switchboard export-contact-records --instance ID --from 2026-03-01T00:00:00Z --to 2026-03-02T00:00:00Z
//
// Records are those of contacts that disconnected in [from, to) and are
// completed. It signs like `switchboard clock` (AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY, else the credentials kept in --data-dir) and fails
// when the server's stream ends without its record-count trailer, so a
// truncated export never passes for a complete one.
func exportCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("switchboard export-contact-records", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "http://"+DefaultAddr, "the server's `URL`")
	dataDir := fs.String("data-dir", defaultDataDir(), "`directory` whose credentials.json to use when AWS_ACCESS_KEY_ID is unset")
	instance := fs.String("instance", "", "instance `ID` (or ARN) to export")
	from := fs.String("from", "", "start of the range, inclusive, as an RFC 3339 `time` (contacts are selected by disconnect time)")
	to := fs.String("to", "", "end of the range, exclusive, as an RFC 3339 `time`")
	quiet := fs.Bool("quiet", false, "do not report progress on stderr")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: switchboard export-contact-records --instance ID --from TIME --to TIME [flags]\n\nWrites one contact record (JSON) per line to stdout. Flags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; export-contact-records takes only flags", fs.Arg(0))
	}
	if *instance == "" || *from == "" || *to == "" {
		return errors.New("--instance, --from and --to are required")
	}
	creds, err := cliCredentials(*dataDir)
	if err != nil {
		return err
	}
	u := *endpoint + awsapi.InstancesPath + url.PathEscape(*instance) + awsapi.ContactRecordsSuffix +
		"?" + url.Values{"from": {*from}, "to": {*to}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	empty := sha256.Sum256(nil)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(empty[:]), "connect", DefaultRegion, time.Now()); err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("is the server running at %s? %w", *endpoint, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Message string }
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		_ = json.Unmarshal(b, &e)
		return fmt.Errorf("%s: %s", resp.Header.Get("X-Amzn-ErrorType"), e.Message)
	}
	progress := func(string, ...any) {}
	if !*quiet {
		progress = func(format string, a ...any) { fmt.Fprintf(stderr, format, a...) }
	}
	n, err := copyRecords(bufio.NewWriterSize(stdout, 64<<10), resp.Body, func(n int) {
		progress("export-contact-records: %d records…\n", n)
	})
	if err != nil {
		return fmt.Errorf("export interrupted after %d records: %w", n, err)
	}
	// Trailers are only readable once the body is consumed.
	want := resp.Trailer.Get(awsapi.RecordCountTrailer)
	if want != strconv.Itoa(n) {
		return fmt.Errorf("export incomplete: received %d records, the server's count is %q", n, want)
	}
	progress("export-contact-records: %d contact records exported\n", n)
	return nil
}

// copyRecords copies JSON lines from r to w, counting them, and calls tick
// every progressEvery records.
func copyRecords(w *bufio.Writer, r io.Reader, tick func(int)) (int, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	n := 0
	for {
		// ReadSlice would fail on a record longer than the buffer; records
		// with 32 KiB of attributes are common enough to read whole lines.
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if line[len(line)-1] != '\n' {
				return n, fmt.Errorf("the stream ended inside a record: %w", io.ErrUnexpectedEOF)
			}
			if _, werr := w.Write(line); werr != nil {
				return n, werr
			}
			if n++; n%progressEvery == 0 {
				if werr := w.Flush(); werr != nil {
					return n, werr
				}
				tick(n)
			}
		}
		if errors.Is(err, io.EOF) {
			return n, w.Flush()
		}
		if err != nil {
			return n, err
		}
	}
}

// cliCredentials are the credentials the CLI subcommands sign with: the
// AWS environment variables, else the pair kept in the data dir.
func cliCredentials(dataDir string) (aws.Credentials, error) {
	creds := aws.Credentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY")}
	if creds.AccessKeyID != "" {
		return creds, nil
	}
	c, _, err := loadCredentials(dataDir)
	if err != nil {
		return creds, err
	}
	return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey}, nil
}
