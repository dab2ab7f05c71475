package flowrun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/flow"
)

// Lambda timeouts. Connect caps a synchronous call at 8 seconds and the
// console's default is 3; an asynchronous call may run longer, up to a
// limit the spec leaves open (60 s here).
const (
	DefaultLambdaTimeout  = 3 * time.Second
	MaxSyncLambdaTimeout  = 8 * time.Second
	MaxAsyncLambdaTimeout = 60 * time.Second
)

// MaxLambdaResponse is the largest response accepted, in bytes; Connect
// refuses larger ones (32 KB), and the flow takes its error branch.
const MaxLambdaResponse = 32 * 1024

// LambdaEvent is the JSON Connect sends a function.
type LambdaEvent struct {
	Name    string        `json:"Name"` // always "ContactFlowEvent"
	Details LambdaDetails `json:"Details"`
}

// LambdaDetails carries the contact and the block's parameters.
type LambdaDetails struct {
	ContactData LambdaContactData `json:"ContactData"`
	Parameters  map[string]string `json:"Parameters"`
}

// LambdaContactData is the contact as a function sees it.
type LambdaContactData struct {
	Attributes        map[string]string    `json:"Attributes"`
	Channel           string               `json:"Channel"`
	ContactID         string               `json:"ContactId"`
	CustomerEndpoint  *LambdaEndpoint      `json:"CustomerEndpoint"`
	CustomerID        string               `json:"CustomerId,omitempty"`
	Description       string               `json:"Description,omitempty"`
	InitialContactID  string               `json:"InitialContactId"`
	InitiationMethod  string               `json:"InitiationMethod"`
	InstanceARN       string               `json:"InstanceARN"`
	LanguageCode      string               `json:"LanguageCode,omitempty"`
	MediaStreams      map[string]any       `json:"MediaStreams"`
	Name              string               `json:"Name,omitempty"`
	PreviousContactID string               `json:"PreviousContactId"`
	Queue             *LambdaQueue         `json:"Queue"`
	References        map[string]Reference `json:"References"`
	RelatedContactID  string               `json:"RelatedContactId,omitempty"`
	SegmentAttributes map[string]any       `json:"SegmentAttributes"`
	SystemEndpoint    *LambdaEndpoint      `json:"SystemEndpoint"`
}

// LambdaEndpoint is an endpoint in the event.
type LambdaEndpoint struct {
	Address string `json:"Address"`
	Type    string `json:"Type"`
}

// LambdaQueue is the working queue in the event (null when none).
type LambdaQueue struct {
	ARN  string `json:"ARN"`
	Name string `json:"Name"`
}

// lambdaEvent builds the event from the run's view of the contact, so a
// function sees attributes the flow set a moment ago.
func (r *run) lambdaEvent(params map[string]string) LambdaEvent {
	cd := &r.cd
	endpoint := func(e *Endpoint) *LambdaEndpoint {
		if e == nil {
			return nil
		}
		return &LambdaEndpoint{Address: e.Address, Type: e.Type}
	}
	data := LambdaContactData{
		Attributes: cd.Attributes, Channel: cd.Channel, ContactID: cd.ContactID,
		CustomerEndpoint: endpoint(cd.CustomerEndpoint), CustomerID: cd.CustomerID,
		Description: cd.Description, InitialContactID: cd.InitialContactID,
		InitiationMethod: cd.InitiationMethod, InstanceARN: cd.InstanceARN,
		LanguageCode: cd.LanguageCode, Name: cd.Name, PreviousContactID: cd.PreviousContactID,
		References: cd.References, RelatedContactID: cd.RelatedContactID,
		SegmentAttributes: cd.SegmentAttributes, SystemEndpoint: endpoint(cd.SystemEndpoint),
	}
	// Functions index these without checking for null.
	if data.Attributes == nil {
		data.Attributes = map[string]string{}
	}
	if data.References == nil {
		data.References = map[string]Reference{}
	}
	if data.SegmentAttributes == nil {
		data.SegmentAttributes = map[string]any{}
	}
	if ms, ok := cd.Extra["MediaStreams"].(map[string]any); ok {
		data.MediaStreams = ms
	} else {
		data.MediaStreams = map[string]any{}
	}
	if cd.Queue != nil {
		data.Queue = &LambdaQueue{ARN: cd.Queue.ARN, Name: cd.Queue.Name}
	}
	if params == nil {
		params = map[string]string{}
	}
	return LambdaEvent{Name: "ContactFlowEvent", Details: LambdaDetails{ContactData: data, Parameters: params}}
}

func invokeLambda(r *run, p *params) outcome {
	arn, _ := p.value("LambdaFunctionARN")
	if arn == "" {
		return failure("InvokeLambdaFunction needs LambdaFunctionARN")
	}
	kind, _ := p.literal("InvocationType")
	if kind == "" {
		kind = "SYNCHRONOUS"
	}
	limit := MaxSyncLambdaTimeout
	if kind == "ASYNCHRONOUS" {
		limit = MaxAsyncLambdaTimeout
	}
	timeout := DefaultLambdaTimeout
	secs, present, err := p.intParam("InvocationTimeLimitSeconds", 1, int64(limit/time.Second))
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if present {
		timeout = time.Duration(secs) * time.Second
	}
	responseType := "STRING_MAP"
	if rv, ok := p.object("ResponseValidation"); ok {
		if s, ok := scalar(rv["ResponseType"]); ok && s != "" {
			responseType = s
		}
	}
	if responseType != "STRING_MAP" && responseType != "JSON" {
		return failure("ResponseValidation.ResponseType %q must be STRING_MAP or JSON", responseType)
	}
	attrs, _, err := p.stringMap("LambdaInvocationAttributes")
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	req := LambdaRequest{FunctionARN: arn, InvocationType: kind, ResponseType: responseType,
		Timeout: timeout, Event: r.lambdaEvent(attrs)}
	out, err := r.env.InvokeLambda(r.ctx, req)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if out == nil {
		out = map[string]any{}
	}
	// The whole map is replaced: $.External is the latest call's only.
	r.st.External = out
	return outcome{external: out}
}

// HTTPInvoker calls functions over HTTP: each function ARN maps to a URL
// that receives the Connect event as a JSON POST and answers with the
// function's return value as JSON. A runtime's Env.InvokeLambda can
// delegate to it, or embed it.
type HTTPInvoker struct {
	// Endpoints maps a function to its URL. Keys may be a full ARN
	// (qualified or not) or a bare function name; see Endpoint.
	Endpoints map[string]string
	// Client sends the requests; nil means http.DefaultClient. The
	// request's Timeout applies on top of any client timeout.
	Client *http.Client
}

// ErrNoEndpoint is returned for a function no endpoint is configured for.
var ErrNoEndpoint = errors.New("flowrun: no endpoint configured for the Lambda function")

// Endpoint finds the URL for a function ARN: the exact ARN, then the ARN
// without its version or alias, then the bare function name.
func (h *HTTPInvoker) Endpoint(arn string) (string, bool) {
	if u, ok := h.Endpoints[arn]; ok {
		return u, true
	}
	// arn:aws:lambda:region:account:function:name[:qualifier]
	parts := strings.Split(arn, ":")
	if len(parts) >= 7 && parts[0] == "arn" && parts[5] == "function" {
		if u, ok := h.Endpoints[strings.Join(parts[:7], ":")]; ok {
			return u, true
		}
		if u, ok := h.Endpoints[parts[6]]; ok {
			return u, true
		}
	}
	return "", false
}

// InvokeLambda POSTs r.Event to the function's endpoint and parses the
// response. A timeout, a non-2xx status, a response that is not a JSON
// object, one larger than MaxLambdaResponse, or (for STRING_MAP) one with
// nested values is an error, so the flow takes its error branch.
func (h *HTTPInvoker) InvokeLambda(ctx context.Context, r LambdaRequest) (map[string]any, error) {
	url, ok := h.Endpoint(r.FunctionARN)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoEndpoint, r.FunctionARN)
	}
	body, err := json.Marshal(r.Event)
	if err != nil {
		return nil, fmt.Errorf("encoding the Lambda event: %w", err)
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultLambdaTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("Lambda endpoint for %s: %w", r.FunctionARN, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Amz-Invocation-Type", map[bool]string{true: "Event", false: "RequestResponse"}[r.InvocationType == "ASYNCHRONOUS"])
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("Lambda %s timed out after %s", r.FunctionARN, timeout)
		}
		return nil, fmt.Errorf("calling Lambda %s: %w", r.FunctionARN, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxLambdaResponse+1))
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("Lambda %s timed out after %s", r.FunctionARN, timeout)
		}
		return nil, fmt.Errorf("reading Lambda %s response: %w", r.FunctionARN, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("Lambda %s failed: HTTP %d: %s", r.FunctionARN, resp.StatusCode, clip(string(data), 200))
	}
	if len(data) > MaxLambdaResponse {
		return nil, fmt.Errorf("Lambda %s response is larger than %d bytes", r.FunctionARN, MaxLambdaResponse)
	}
	return ParseLambdaResponse(data, r.ResponseType)
}

// ParseLambdaResponse turns a function's JSON return value into
// $.External. STRING_MAP (the default) wants a flat object and turns
// numbers, booleans and null into strings; JSON keeps nested values.
func ParseLambdaResponse(data []byte, responseType string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("Lambda response is not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("Lambda response has data after the JSON value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("Lambda response must be a JSON object")
	}
	if responseType == "JSON" {
		return obj, nil
	}
	out := make(map[string]any, len(obj))
	for k, val := range obj {
		switch x := val.(type) {
		case nil:
			out[k] = ""
		case string:
			out[k] = x
		case json.Number:
			out[k] = x.String()
		case bool:
			out[k] = fmt.Sprint(x)
		default:
			return nil, fmt.Errorf("Lambda response value %q is not a string; return a flat map or set ResponseType JSON", k)
		}
	}
	return out, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
