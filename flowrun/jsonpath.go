package flowrun

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// References ("JSONPath") are "$" followed by dotted keys of
// [0-9A-Za-z_-] or bracketed keys: $.Attributes.tier,
// $.Attributes['my key'], $['AwsRegion'], $.Lex.AlternateIntents[0].
// In text they are found by scanning for "$." and "$["; the key grammar
// ends a reference, so "Hi $.Attributes.name." keeps its full stop.
//
// A reference to a value that does not exist reads as "" (what Connect
// does), never as the reference text (what the legacy simulator does): a
// prompt then says "Hi ." rather than reading a path to the customer.

// parseRef parses the reference starting at s[i] == '$'. It returns the
// path segments and the index just after the reference; ok is false when
// s[i:] does not start with a reference.
func parseRef(s string, i int) (segs []string, end int, ok bool) {
	if i >= len(s) || s[i] != '$' {
		return nil, i, false
	}
	j := i + 1
	for j < len(s) {
		switch s[j] {
		case '.':
			k := j + 1
			for k < len(s) && isKeyByte(s[k]) {
				k++
			}
			if k == j+1 {
				return segs, j, len(segs) > 0
			}
			segs = append(segs, s[j+1:k])
			j = k
		case '[':
			key, k, good := bracketKey(s, j)
			if !good {
				return segs, j, len(segs) > 0
			}
			segs = append(segs, key)
			j = k
		default:
			return segs, j, len(segs) > 0
		}
	}
	return segs, j, len(segs) > 0
}

// bracketKey parses ['key'], ["key"] or [0] at s[j] == '['.
func bracketKey(s string, j int) (key string, end int, ok bool) {
	if j+1 >= len(s) {
		return "", j, false
	}
	switch q := s[j+1]; q {
	case '\'', '"':
		close := strings.IndexByte(s[j+2:], q)
		if close < 1 || j+2+close+1 >= len(s) || s[j+2+close+1] != ']' {
			return "", j, false
		}
		return s[j+2 : j+2+close], j + 2 + close + 2, true
	default:
		k := j + 1
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k == j+1 || k >= len(s) || s[k] != ']' {
			return "", j, false
		}
		return s[j+1 : k], k + 1, true
	}
}

func isKeyByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-'
}

// interpolate replaces every reference in s by its value.
func (r *run) interpolate(s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '$' {
			if segs, end, ok := parseRef(s, i); ok {
				v, _ := r.lookup(segs)
				b.WriteString(render(v))
				i = end
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// lookup returns the value a reference path names.
func (r *run) lookup(segs []string) (any, bool) {
	if len(segs) == 0 {
		return nil, false
	}
	cd := &r.cd
	ns, rest := segs[0], segs[1:]
	leaf := func(v string) (any, bool) {
		if len(rest) > 0 {
			return nil, false
		}
		return v, true
	}
	switch ns {
	case "Attributes":
		return walkStrings(cd.Attributes, rest)
	case "FlowAttributes":
		return walkStrings(r.st.FlowAttributes, rest)
	case "External":
		if len(rest) == 0 {
			return r.st.External, r.st.External != nil
		}
		return walk(r.st.External, rest)
	case "Metrics":
		return walk(r.st.Metrics, rest)
	case "Views":
		if r.st.Views == nil {
			return nil, false
		}
		return walk(map[string]any{"Action": r.st.Views.Action, "ViewResultData": r.st.Views.Data}, rest)
	case "SegmentAttributes":
		return walkSegment(cd.SegmentAttributes, rest)
	case "References":
		if len(rest) == 0 {
			return nil, false
		}
		ref, ok := cd.References[rest[0]]
		if !ok {
			return nil, false
		}
		return walk(map[string]any{"Type": ref.Type, "Value": ref.Value}, rest[1:])
	case "Queue":
		if cd.Queue == nil {
			return nil, false
		}
		q := map[string]any{"Name": cd.Queue.Name, "ARN": cd.Queue.ARN, "Arn": cd.Queue.ARN, "Id": cd.Queue.ID}
		if e := cd.Queue.OutboundCallerID; e != nil {
			q["OutboundCallerId"] = endpointMap(e)
		}
		return walk(q, rest)
	case "CustomerEndpoint", "SystemEndpoint":
		e := cd.CustomerEndpoint
		if ns == "SystemEndpoint" {
			e = cd.SystemEndpoint
		}
		if e == nil {
			return nil, false
		}
		return walk(endpointMap(e), rest)
	case "Agent":
		if cd.Agent == nil {
			return nil, false
		}
		return walk(map[string]any{"UserName": cd.Agent.UserName, "FirstName": cd.Agent.FirstName,
			"LastName": cd.Agent.LastName, "ARN": cd.Agent.ARN}, rest)
	case "Task":
		if len(rest) == 1 && rest[0] == "ContactId" && r.st.TaskContactID != "" {
			return r.st.TaskContactID, true
		}
		return nil, false
	case "ContactId":
		return leaf(cd.ContactID)
	case "InitialContactId":
		return leaf(cd.InitialContactID)
	case "PreviousContactId":
		return leaf(cd.PreviousContactID)
	case "RelatedContactId":
		return leaf(cd.RelatedContactID)
	case "Channel":
		return leaf(cd.Channel)
	case "InitiationMethod":
		return leaf(cd.InitiationMethod)
	case "InstanceARN":
		return leaf(cd.InstanceARN)
	case "AwsRegion":
		return leaf(cd.AwsRegion)
	case "Name":
		return leaf(cd.Name)
	case "Description":
		return leaf(cd.Description)
	case "CustomerId":
		return leaf(cd.CustomerID)
	case "LanguageCode":
		return leaf(cd.LanguageCode)
	case "TextToSpeechVoiceId":
		return leaf(cd.TextToSpeechVoiceID)
	case "StoredCustomerInput":
		return leaf(cd.StoredCustomerInput)
	}
	if v, ok := cd.Extra[ns]; ok {
		return walk(v, rest)
	}
	return nil, false
}

func endpointMap(e *Endpoint) map[string]any {
	return map[string]any{"Address": e.Address, "Type": e.Type, "DisplayName": e.DisplayName}
}

func walkStrings(m map[string]string, rest []string) (any, bool) {
	if len(rest) != 1 {
		return nil, false
	}
	v, ok := m[rest[0]]
	return v, ok
}

// walk descends JSON-shaped data: map keys, and list indexes as numbers.
func walk(v any, rest []string) (any, bool) {
	for _, k := range rest {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[k]
			if !ok {
				return nil, false
			}
			v = next
		case map[string]string:
			next, ok := x[k]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, v != nil
}

// walkSegment reads segment attributes, which are typed values: it looks
// through ValueMap wrappers on the way down and unwraps the scalar at the
// end, so $.SegmentAttributes['connect:Subtype'] reads "connect:Chat".
func walkSegment(m map[string]any, rest []string) (any, bool) {
	var v any = m
	for _, k := range rest {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		next, ok := obj[k]
		if !ok {
			inner, isMap := obj["ValueMap"].(map[string]any)
			if !isMap {
				return nil, false
			}
			if next, ok = inner[k]; !ok {
				return nil, false
			}
		}
		v = next
	}
	if obj, ok := v.(map[string]any); ok && len(obj) == 1 {
		for _, key := range []string{"ValueString", "ValueInteger", "ValueArn"} {
			if s, ok := obj[key]; ok {
				return s, true
			}
		}
	}
	return v, v != nil
}

// render writes a value as flow text: scalars as themselves, structures as
// JSON.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
