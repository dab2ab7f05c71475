// Package wire is what the generated wire packages (awsapi/connectwire
// for the Connect API, participantapi/participantwire for the participant
// service) share: the request they decode, binding of path, query and
// header values, the restJson1 timestamp, and the validator their
// generated Validate methods drive, with the AWS wording of its messages.
// tools/apigen writes code against it; nothing here is generated.
package wire
