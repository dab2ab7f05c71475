package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// AssociateLambdaFunction handles the operation of the same name.
func (h *Handlers) AssociateLambdaFunction(ctx context.Context, in *cw.AssociateLambdaFunctionRequest) (*cw.AssociateLambdaFunctionResponse, error) {
	if err := h.svc.AssociateLambdaFunction(ctx, deref(in.InstanceId), deref(in.FunctionArn), deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.AssociateLambdaFunctionResponse{}, nil
}

// DisassociateLambdaFunction handles the operation of the same name.
func (h *Handlers) DisassociateLambdaFunction(ctx context.Context, in *cw.DisassociateLambdaFunctionRequest) (*cw.DisassociateLambdaFunctionResponse, error) {
	if err := h.svc.DisassociateLambdaFunction(ctx, deref(in.InstanceId), deref(in.FunctionArn), deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.DisassociateLambdaFunctionResponse{}, nil
}

// ListLambdaFunctions handles the operation of the same name.
func (h *Handlers) ListLambdaFunctions(ctx context.Context, in *cw.ListLambdaFunctionsRequest) (*cw.ListLambdaFunctionsResponse, error) {
	list, next, err := h.svc.ListLambdaFunctions(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &cw.ListLambdaFunctionsResponse{LambdaFunctions: append([]string{}, list...), NextToken: ptr(next)}, nil
}

// AssociateApprovedOrigin handles the operation of the same name.
func (h *Handlers) AssociateApprovedOrigin(ctx context.Context, in *cw.AssociateApprovedOriginRequest) (*cw.AssociateApprovedOriginResponse, error) {
	if err := h.svc.AssociateApprovedOrigin(ctx, deref(in.InstanceId), deref(in.Origin), deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.AssociateApprovedOriginResponse{}, nil
}

// DisassociateApprovedOrigin handles the operation of the same name.
func (h *Handlers) DisassociateApprovedOrigin(ctx context.Context, in *cw.DisassociateApprovedOriginRequest) (*cw.DisassociateApprovedOriginResponse, error) {
	if err := h.svc.DisassociateApprovedOrigin(ctx, deref(in.InstanceId), deref(in.Origin), deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.DisassociateApprovedOriginResponse{}, nil
}

// ListApprovedOrigins handles the operation of the same name.
func (h *Handlers) ListApprovedOrigins(ctx context.Context, in *cw.ListApprovedOriginsRequest) (*cw.ListApprovedOriginsResponse, error) {
	list, next, err := h.svc.ListApprovedOrigins(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &cw.ListApprovedOriginsResponse{Origins: append([]string{}, list...), NextToken: ptr(next)}, nil
}

// botIn converts the LexBot and LexV2Bot members the bot operations take.
func botIn(v1 *cw.LexBot, v2 *cw.LexV2Bot) domain.LexBotAssociation {
	var b domain.LexBotAssociation
	if v1 != nil {
		b.Name, b.Region = deref(v1.Name), deref(v1.LexRegion)
	}
	if v2 != nil {
		b.AliasArn = deref(v2.AliasArn)
	}
	return b
}

// AssociateLexBot handles the operation of the same name (Lex V1).
func (h *Handlers) AssociateLexBot(ctx context.Context, in *cw.AssociateLexBotRequest) (*cw.AssociateLexBotResponse, error) {
	if err := h.svc.AssociateBot(ctx, "AssociateLexBot", deref(in.InstanceId), botIn(in.LexBot, nil), deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.AssociateLexBotResponse{}, nil
}

// DisassociateLexBot handles the operation of the same name (Lex V1).
func (h *Handlers) DisassociateLexBot(ctx context.Context, in *cw.DisassociateLexBotRequest) (*cw.DisassociateLexBotResponse, error) {
	b := domain.LexBotAssociation{Name: deref(in.BotName), Region: deref(in.LexRegion)}
	if err := h.svc.DisassociateBot(ctx, "DisassociateLexBot", deref(in.InstanceId), b, deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.DisassociateLexBotResponse{}, nil
}

// ListLexBots handles the operation of the same name (Lex V1 bots only).
func (h *Handlers) ListLexBots(ctx context.Context, in *cw.ListLexBotsRequest) (*cw.ListLexBotsResponse, error) {
	list, next, err := h.svc.ListBots(ctx, deref(in.InstanceId), "V1", listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListLexBotsResponse{LexBots: []cw.LexBot{}, NextToken: ptr(next)}
	for _, b := range list {
		out.LexBots = append(out.LexBots, cw.LexBot{Name: ref(b.Name), LexRegion: ref(b.Region)})
	}
	return out, nil
}

// AssociateBot handles the operation of the same name (Lex V1 or V2).
func (h *Handlers) AssociateBot(ctx context.Context, in *cw.AssociateBotRequest) (*cw.AssociateBotResponse, error) {
	if err := h.svc.AssociateBot(ctx, "AssociateBot", deref(in.InstanceId), botIn(in.LexBot, in.LexV2Bot), deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.AssociateBotResponse{}, nil
}

// DisassociateBot handles the operation of the same name (Lex V1 or V2).
func (h *Handlers) DisassociateBot(ctx context.Context, in *cw.DisassociateBotRequest) (*cw.DisassociateBotResponse, error) {
	if err := h.svc.DisassociateBot(ctx, "DisassociateBot", deref(in.InstanceId), botIn(in.LexBot, in.LexV2Bot), deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.DisassociateBotResponse{}, nil
}

// ListBots handles the operation of the same name.
func (h *Handlers) ListBots(ctx context.Context, in *cw.ListBotsRequest) (*cw.ListBotsResponse, error) {
	list, next, err := h.svc.ListBots(ctx, deref(in.InstanceId), string(in.LexVersion), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListBotsResponse{LexBots: []cw.LexBotConfig{}, NextToken: ptr(next)}
	for _, b := range list {
		if b.V2() {
			out.LexBots = append(out.LexBots, cw.LexBotConfig{LexV2Bot: &cw.LexV2Bot{AliasArn: ref(b.AliasArn)}})
		} else {
			out.LexBots = append(out.LexBots, cw.LexBotConfig{LexBot: &cw.LexBot{Name: ref(b.Name), LexRegion: ref(b.Region)}})
		}
	}
	return out, nil
}
