package participantapi_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// transcriptEnv is a chat with items joined, m01 … m25, one per second
// from 09:00:01 (the joined event is at 09:00:00).
func transcriptEnv(t *testing.T) (*env, string, []string) {
	e := newEnv(t)
	_, tok := e.chat()
	conn := e.connToken(tok)
	all := []string{joined}
	for i := 1; i <= 25; i++ {
		e.Clock.Advance(time.Second)
		e.send(conn, fmt.Sprintf("m%02d", i))
		all = append(all, fmt.Sprintf("m%02d", i))
	}
	return e, conn, all
}

func TestGetTranscriptPaging(t *testing.T) {
	t.Parallel()
	e, conn, all := transcriptEnv(t)
	rev := slices.Clone(all)
	slices.Reverse(rev)

	// walk pages through with NextToken and returns every item seen.
	walk := func(req map[string]any) (pages [][]string) {
		t.Helper()
		for range 20 {
			out := e.transcript(conn, req)
			pages = append(pages, contents(out.Transcript))
			if out.NextToken == nil {
				return pages
			}
			req = map[string]any{"NextToken": *out.NextToken, "SortOrder": req["SortOrder"], "MaxResults": req["MaxResults"]}
		}
		t.Fatal("paging does not end")
		return nil
	}
	flat := func(pages [][]string) []string { return slices.Concat(pages...) }

	// Defaults: BACKWARD from the newest, 10 a page, DESCENDING.
	pages := walk(map[string]any{})
	if len(pages) != 3 || len(pages[0]) != 10 || len(pages[2]) != 6 || !slices.Equal(flat(pages), rev) {
		t.Errorf("default paging %v", pages)
	}
	// chatjs's request: BACKWARD, ASCENDING, StartPosition {} — each page
	// reads oldest first, pages go back in time.
	out := e.transcript(conn, map[string]any{"MaxResults": 15, "ScanDirection": "BACKWARD", "SortOrder": "ASCENDING", "StartPosition": map[string]any{}})
	if got := contents(out.Transcript); !slices.Equal(got, all[11:]) || out.NextToken == nil {
		t.Errorf("chatjs default page %v (next %v)", got, out.NextToken)
	}
	next := e.transcript(conn, map[string]any{"MaxResults": 15, "ScanDirection": "BACKWARD", "SortOrder": "ASCENDING", "NextToken": *out.NextToken})
	if got := contents(next.Transcript); !slices.Equal(got, all[:11]) || next.NextToken != nil {
		t.Errorf("chatjs second page %v (next %v)", got, next.NextToken)
	}
	// FORWARD without a start position reads from the oldest.
	pages = walk(map[string]any{"ScanDirection": "FORWARD", "SortOrder": "ASCENDING", "MaxResults": 7})
	if len(pages) != 4 || !slices.Equal(flat(pages), all) {
		t.Errorf("forward paging %v", pages)
	}
	// New items do not shift a page in progress.
	first := e.transcript(conn, map[string]any{"MaxResults": 5})
	e.Clock.Advance(time.Second)
	e.send(conn, "late")
	second := e.transcript(conn, map[string]any{"MaxResults": 5, "NextToken": *first.NextToken})
	if got := contents(second.Transcript); !slices.Equal(got, []string{"m20", "m19", "m18", "m17", "m16"}) {
		t.Errorf("second page after a new message %v", got)
	}
}

func TestGetTranscriptStartPositions(t *testing.T) {
	t.Parallel()
	e, conn, all := transcriptEnv(t)
	idOf := func(content string) string {
		for _, it := range e.transcript(conn, map[string]any{"MaxResults": 100}).Transcript {
			if aws.ToString(it.Content) == content {
				return *it.Id
			}
		}
		t.Fatalf("no item %s", content)
		return ""
	}
	cases := []struct {
		name string
		req  map[string]any
		want []string
	}{
		{"Id forward (default with a start)", map[string]any{"StartPosition": map[string]any{"Id": idOf("m05")}, "MaxResults": 3, "SortOrder": "ASCENDING"},
			[]string{"m05", "m06", "m07"}},
		{"Id backward", map[string]any{"StartPosition": map[string]any{"Id": idOf("m05")}, "ScanDirection": "BACKWARD", "MaxResults": 3, "SortOrder": "ASCENDING"},
			[]string{"m03", "m04", "m05"}},
		{"Id backward descending", map[string]any{"StartPosition": map[string]any{"Id": idOf("m05")}, "ScanDirection": "BACKWARD", "MaxResults": 3},
			[]string{"m05", "m04", "m03"}},
		{"AbsoluteTime forward", map[string]any{"StartPosition": map[string]any{"AbsoluteTime": "2026-03-02T09:00:09.500Z"}, "MaxResults": 2, "SortOrder": "ASCENDING"},
			[]string{"m10", "m11"}},
		{"AbsoluteTime exact", map[string]any{"StartPosition": map[string]any{"AbsoluteTime": "2026-03-02T09:00:09.000Z"}, "MaxResults": 2, "SortOrder": "ASCENDING"},
			[]string{"m09", "m10"}},
		{"AbsoluteTime backward", map[string]any{"StartPosition": map[string]any{"AbsoluteTime": "2026-03-02T09:00:09.500Z"}, "ScanDirection": "BACKWARD", "MaxResults": 2, "SortOrder": "ASCENDING"},
			[]string{"m08", "m09"}},
		{"AbsoluteTime before everything", map[string]any{"StartPosition": map[string]any{"AbsoluteTime": "2020-01-01T00:00:00Z"}, "MaxResults": 2, "SortOrder": "ASCENDING"},
			[]string{joined, "m01"}},
		{"AbsoluteTime after everything", map[string]any{"StartPosition": map[string]any{"AbsoluteTime": "2030-01-01T00:00:00.000Z"}, "MaxResults": 2},
			nil},
		{"MostRecent forward", map[string]any{"StartPosition": map[string]any{"MostRecent": 3}, "SortOrder": "ASCENDING"},
			[]string{"m22", "m23", "m24", "m25"}},
		{"MostRecent 0 backward", map[string]any{"StartPosition": map[string]any{"MostRecent": 0}, "ScanDirection": "BACKWARD", "MaxResults": 2},
			[]string{"m25", "m24"}},
		{"MostRecent beyond the start", map[string]any{"StartPosition": map[string]any{"MostRecent": 100}, "MaxResults": 2, "SortOrder": "ASCENDING"},
			all[:2]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := contents(e.transcript(conn, tc.req).Transcript)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	// Paging on from a start position continues the scan.
	out := e.transcript(conn, map[string]any{"StartPosition": map[string]any{"Id": idOf("m20")}, "MaxResults": 4, "SortOrder": "ASCENDING"})
	rest := e.transcript(conn, map[string]any{"NextToken": *out.NextToken, "MaxResults": 4, "SortOrder": "ASCENDING"})
	if got := contents(rest.Transcript); !slices.Equal(got, []string{"m24", "m25"}) || rest.NextToken != nil {
		t.Errorf("after m20..m23: %v next %v", got, rest.NextToken)
	}

	for name, req := range map[string]map[string]any{
		"two start members":  {"StartPosition": map[string]any{"Id": idOf("m01"), "MostRecent": 1}},
		"unknown Id":         {"StartPosition": map[string]any{"Id": "nope"}},
		"bad time":           {"StartPosition": map[string]any{"AbsoluteTime": "yesterday"}},
		"MostRecent > 100":   {"StartPosition": map[string]any{"MostRecent": 101}},
		"MaxResults > 100":   {"MaxResults": 101},
		"MaxResults < 0":     {"MaxResults": -1},
		"bad NextToken":      {"NextToken": "garbage"},
		"bad ScanDirection":  {"ScanDirection": "SIDEWAYS"},
		"bad SortOrder":      {"SortOrder": "RANDOM"},
		"empty ContactId":    {"ContactId": ""},
		"MaxResults as text": {"MaxResults": "ten"},
	} {
		t.Run(name, func(t *testing.T) {
			e.fails(e.call("POST", "/participant/transcript", conn, req), "ValidationException", 400)
		})
	}
	// Another chat's contact is not readable; nor is a token another
	// chat's NextToken.
	other, otherTok := e.chat()
	otherConn := e.connToken(otherTok)
	e.fails(e.call("POST", "/participant/transcript", conn, map[string]any{"ContactId": other}), "AccessDeniedException", 403)
	mine := e.transcript(conn, map[string]any{"MaxResults": 1})
	e.fails(e.call("POST", "/participant/transcript", otherConn, map[string]any{"NextToken": *mine.NextToken}), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/transcript", "bad", map[string]any{}), "AccessDeniedException", 403)
}
