package participantwire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// decodeBody fills in from a JSON body. An absent body is an empty object
// (the SDKs send none for requests without body members); unknown members
// are ignored like AWS does, so newer clients keep working.
func decodeBody(body []byte, in any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	err := json.Unmarshal(body, in)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &SerializationError{Message: fmt.Sprintf("The request body is not valid JSON: %s (at byte %d).", syn.Error(), syn.Offset), Err: err}
	case errors.As(err, &typ) && typ.Field == "":
		return &SerializationError{Message: "The request body must be a JSON object, not a JSON " + typ.Value + ".", Err: err}
	case errors.As(err, &typ):
		return &SerializationError{Member: typ.Field, Message: fmt.Sprintf("The value of '%s' has the wrong type: JSON %s where the model wants %s.", typ.Field, typ.Value, typ.Type.String()), Err: err}
	}
	return &SerializationError{Message: "The request body could not be decoded: " + err.Error(), Err: err}
}

func pathParam(r *Request, name string) (string, bool) {
	v, ok := r.PathParams[name]
	return v, ok
}

// headerParam returns the first value of a header; net/http canonicalises
// the name, so the SDKs' lower-case "x-amz-bearer" is found too.
func headerParam(r *Request, name string) (string, bool) {
	vs := r.Header.Values(name)
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}
