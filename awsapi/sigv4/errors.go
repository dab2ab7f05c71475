package sigv4

import "net/http"

// Error codes returned in Error.Code. They are the exception names AWS JSON
// services put in x-amzn-ErrorType, so the HTTP layer can forward Code as-is
// and SDK clients classify the failure exactly as they would against AWS.
const (
	// CodeMissingAuthenticationToken: neither an Authorization header nor
	// presigned query parameters were sent.
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	// CodeIncompleteSignature: the signature material is present but
	// malformed or incomplete (missing parameter, missing date, unusable
	// credential scope, unsupported algorithm).
	CodeIncompleteSignature = "IncompleteSignatureException"
	// CodeUnrecognizedClient: the access key id is not known.
	CodeUnrecognizedClient = "UnrecognizedClientException"
	// CodeInvalidSignature: the signature does not match, the request time is
	// outside the allowed clock skew, or the credential scope names the wrong
	// date, region or service.
	CodeInvalidSignature = "InvalidSignatureException"
	// CodeAccessDenied: a presigned URL was used after X-Amz-Expires elapsed.
	// S3 reports this case as AccessDenied "Request has expired"; we use the
	// JSON-protocol spelling of the same exception.
	CodeAccessDenied = "AccessDeniedException"
	// CodeContentSHA256Mismatch: the request was correctly signed, but the
	// x-amz-content-sha256 value it signed is not the hash of the body that
	// arrived (or is a form we do not support, such as aws-chunked
	// streaming). This is S3's code for the same condition; it is a 400
	// because the signer, not the credentials, is at fault.
	CodeContentSHA256Mismatch = "XAmzContentSHA256Mismatch"
)

// Messages AWS uses verbatim; kept as constants so callers and tests can match
// them without copying strings around.
const (
	msgMissingToken     = "Missing Authentication Token"
	msgUnrecognized     = "The security token included in the request is invalid."
	msgSignatureInvalid = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgPresignExpired   = "Request has expired"
	msgContentMismatch  = "The provided 'x-amz-content-sha256' header does not match what was computed."
)

// Error is a verification failure. It carries the AWS error code and HTTP
// status so the HTTP layer can render it without interpreting it.
//
// Verify returns *Error; match it with errors.As(err, &e) where e is *Error.
type Error struct {
	Code    string
	Status  int
	Message string
}

// Error implements error. A value receiver lets both Error and *Error satisfy
// the interface, which avoids surprises for callers that build one by value.
func (e Error) Error() string {
	return e.Code + ": " + e.Message
}

// Is reports whether target is an *Error with the same Code, so callers can
// write errors.Is(err, &sigv4.Error{Code: sigv4.CodeInvalidSignature})
// without caring about the message text.
func (e Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && t.Code == e.Code
}

func newError(code string, status int, msg string) *Error {
	return &Error{Code: code, Status: status, Message: msg}
}

func errMissingToken() *Error {
	return newError(CodeMissingAuthenticationToken, http.StatusForbidden, msgMissingToken)
}

func errIncomplete(msg string) *Error {
	return newError(CodeIncompleteSignature, http.StatusForbidden, msg)
}

func errUnrecognized() *Error {
	return newError(CodeUnrecognizedClient, http.StatusForbidden, msgUnrecognized)
}

func errInvalid(msg string) *Error {
	return newError(CodeInvalidSignature, http.StatusForbidden, msg)
}

func errSignatureMismatch() *Error {
	return errInvalid(msgSignatureInvalid)
}

func errPresignExpired() *Error {
	return newError(CodeAccessDenied, http.StatusForbidden, msgPresignExpired)
}

func errContentMismatch(msg string) *Error {
	return newError(CodeContentSHA256Mismatch, http.StatusBadRequest, msg)
}
