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

// CreateIntegrationAssociation handles the operation of the same name.
func (h *Handlers) CreateIntegrationAssociation(ctx context.Context, in *cw.CreateIntegrationAssociationRequest) (*cw.CreateIntegrationAssociationResponse, error) {
	a, err := h.svc.CreateIntegrationAssociation(ctx, deref(in.InstanceId), domain.IntegrationAssociationParams{
		IntegrationType: string(in.IntegrationType), IntegrationArn: deref(in.IntegrationArn), SourceApplicationURL: deref(in.SourceApplicationUrl),
		SourceApplicationName: deref(in.SourceApplicationName), SourceType: string(in.SourceType), Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return &cw.CreateIntegrationAssociationResponse{IntegrationAssociationId: ref(a.ID), IntegrationAssociationArn: ref(a.Arn)}, nil
}

// DeleteIntegrationAssociation handles the operation of the same name.
func (h *Handlers) DeleteIntegrationAssociation(ctx context.Context, in *cw.DeleteIntegrationAssociationRequest) (*cw.DeleteIntegrationAssociationResponse, error) {
	if err := h.svc.DeleteIntegrationAssociation(ctx, deref(in.InstanceId), deref(in.IntegrationAssociationId)); err != nil {
		return nil, err
	}
	return &cw.DeleteIntegrationAssociationResponse{}, nil
}

// ListIntegrationAssociations handles the operation of the same name.
func (h *Handlers) ListIntegrationAssociations(ctx context.Context, in *cw.ListIntegrationAssociationsRequest) (*cw.ListIntegrationAssociationsResponse, error) {
	list, next, err := h.svc.ListIntegrationAssociations(ctx, deref(in.InstanceId), string(in.IntegrationType), deref(in.IntegrationArn), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListIntegrationAssociationsResponse{IntegrationAssociationSummaryList: make([]cw.IntegrationAssociationSummary, len(list)), NextToken: ptr(next)}
	for i, a := range list {
		out.IntegrationAssociationSummaryList[i] = cw.IntegrationAssociationSummary{IntegrationAssociationId: ref(a.ID), IntegrationAssociationArn: ref(a.Arn),
			InstanceId: ref(a.InstanceID), IntegrationType: cw.IntegrationType(a.IntegrationType), IntegrationArn: ref(a.IntegrationArn),
			SourceApplicationUrl: ptr(a.SourceApplicationURL), SourceApplicationName: ptr(a.SourceApplicationName), SourceType: cw.SourceType(a.SourceType)}
	}
	return out, nil
}

// CreateUseCase handles the operation of the same name.
func (h *Handlers) CreateUseCase(ctx context.Context, in *cw.CreateUseCaseRequest) (*cw.CreateUseCaseResponse, error) {
	u, err := h.svc.CreateUseCase(ctx, deref(in.InstanceId), deref(in.IntegrationAssociationId), string(in.UseCaseType), in.Tags)
	if err != nil {
		return nil, err
	}
	return &cw.CreateUseCaseResponse{UseCaseId: ref(u.ID), UseCaseArn: ref(u.Arn)}, nil
}

// DeleteUseCase handles the operation of the same name.
func (h *Handlers) DeleteUseCase(ctx context.Context, in *cw.DeleteUseCaseRequest) (*cw.DeleteUseCaseResponse, error) {
	if err := h.svc.DeleteUseCase(ctx, deref(in.InstanceId), deref(in.IntegrationAssociationId), deref(in.UseCaseId)); err != nil {
		return nil, err
	}
	return &cw.DeleteUseCaseResponse{}, nil
}

// ListUseCases handles the operation of the same name.
func (h *Handlers) ListUseCases(ctx context.Context, in *cw.ListUseCasesRequest) (*cw.ListUseCasesResponse, error) {
	list, next, err := h.svc.ListUseCases(ctx, deref(in.InstanceId), deref(in.IntegrationAssociationId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListUseCasesResponse{UseCaseSummaryList: make([]cw.UseCase, len(list)), NextToken: ptr(next)}
	for i, u := range list {
		out.UseCaseSummaryList[i] = cw.UseCase{UseCaseId: ref(u.ID), UseCaseArn: ref(u.Arn), UseCaseType: cw.UseCaseType(u.UseCaseType)}
	}
	return out, nil
}
