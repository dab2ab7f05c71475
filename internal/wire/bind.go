package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// DecodeBody unmarshals a JSON request body into in. An empty body is an
// empty object; unknown fields are ignored, as AWS does.
func DecodeBody(body []byte, in any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	err := json.Unmarshal(body, in)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var ser *SerializationError
	switch {
	case errors.As(err, &ser):
		return ser
	case errors.As(err, &syn):
		return &SerializationError{Message: fmt.Sprintf("Request body is not valid JSON: %s (at byte %d)", syn.Error(), syn.Offset), Err: err}
	case errors.As(err, &typ):
		if typ.Field == "" {
			return &SerializationError{Message: "Request body must be a JSON object, got JSON " + typ.Value, Err: err}
		}
		return &SerializationError{Member: typ.Field, Message: fmt.Sprintf("Cannot deserialize value at '%s': expected %s, got JSON %s", typ.Field, jsonKind(typ.Type), typ.Value), Err: err}
	}
	return &SerializationError{Message: "Request body could not be decoded: " + err.Error(), Err: err}
}

// jsonKind names the JSON type a Go type is decoded from, for messages.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "base64 string"
		}
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return t.String()
}

func PathParam(r *Request, name string) (string, bool) {
	s, ok := r.PathParams[name]
	return s, ok
}

func QueryParam(r *Request, name string) (string, bool) {
	vs, ok := r.Query[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

func QueryParams(r *Request, name string) ([]string, bool) {
	vs, ok := r.Query[name]
	return vs, ok && len(vs) > 0
}

func HeaderParam(r *Request, name string) (string, bool) {
	vs := r.Header.Values(name)
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// HeaderParams splits a list-valued header, which restJson1 sends
// comma-separated (possibly also repeated).
func HeaderParams(r *Request, name string) ([]string, bool) {
	var out []string
	for _, v := range r.Header.Values(name) {
		for _, p := range strings.Split(v, ",") {
			out = append(out, strings.TrimSpace(p))
		}
	}
	return out, len(out) > 0
}

func paramError(where, name, raw, kind string, err error) error {
	return &SerializationError{
		Member:  name,
		Message: fmt.Sprintf("Value '%s' of %s parameter '%s' is not a valid %s", truncate(raw), where, name, kind),
		Err:     err,
	}
}

func ParseInt32Param(raw, where, name string) (int32, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 32)
	if err != nil {
		return 0, paramError(where, name, raw, "integer", err)
	}
	return int32(n), nil
}

func ParseInt64Param(raw, where, name string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil {
		return 0, paramError(where, name, raw, "long", err)
	}
	return n, nil
}

func ParseFloatParam(raw, where, name string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil {
		return 0, paramError(where, name, raw, "number", err)
	}
	return f, nil
}

func ParseBoolParam(raw, where, name string) (bool, error) {
	switch strings.TrimSpace(raw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, paramError(where, name, raw, "boolean", nil)
}

func ParseTimeParam(raw, where, name string) (Time, error) {
	t, err := ParseTime(raw)
	if err != nil {
		return Time{}, paramError(where, name, raw, "timestamp", err)
	}
	return t, nil
}
