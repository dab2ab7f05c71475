// Package connectwire is the Amazon Connect wire layer: request/response
// shapes, HTTP bindings, input validation and error descriptions, generated
// from the trimmed API model in api/models/connect.json.
//
// The zz_generated_*.go files come from tools/apigen and are written
// against internal/wire (validator, binding, errors, Time), which the
// participant service's participantwire shares.
// After changing api/connect-operations.txt run
//
//	go run ./tools/apigen trim
//	go generate ./awsapi/connectwire
//
// from the repository root.
package connectwire

//go:generate go run ../../tools/apigen gen -model ../../api/models/connect.json -pkg connectwire -out .
