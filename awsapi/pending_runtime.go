package awsapi

// Operations whose implementation is in progress. Each answers that it is
// not implemented yet; its real handler replaces the stub here.

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
)

// GetCurrentUserData is not implemented yet.
func (h *Handlers) GetCurrentUserData(ctx context.Context, in *cw.GetCurrentUserDataRequest) (*cw.GetCurrentUserDataResponse, error) {
	return nil, notImplemented("GetCurrentUserData")
}

// TransferContact is not implemented yet.
func (h *Handlers) TransferContact(ctx context.Context, in *cw.TransferContactRequest) (*cw.TransferContactResponse, error) {
	return nil, notImplemented("TransferContact")
}
