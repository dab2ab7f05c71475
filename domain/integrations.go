package domain

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// The integrations of an instance: the Lambda functions its flows may
// call, the Lex bots they may talk to, and the web origins allowed to
// embed its chat. Connect keeps them as lists on the instance, and so does
// Switchboard (Instance.LambdaFunctions, LexBots, ApprovedOrigins). They
// are recorded and listed; nothing is refused for lack of one, because a
// flow's Lambda calls go to the URLs the server is configured with.

// LexBotAssociation is one associated bot: a Lex V1 bot by Name and
// Region, or a Lex V2 bot alias by AliasArn.
type LexBotAssociation struct {
	Name, Region string `json:",omitempty"`
	AliasArn     string `json:",omitempty"`
}

// V2 reports a Lex V2 bot alias.
func (b LexBotAssociation) V2() bool { return b.AliasArn != "" }

var (
	lambdaARNPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$`)
	lexAliasARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:lex:[a-z0-9-]+:\d{12}:bot-alias/[A-Za-z0-9]+/[A-Za-z0-9]+$`)
)

// modifyInstance applies fn to an instance and stores it, keeping its
// creation time.
func (s *Service) modifyInstance(ctx context.Context, instanceID string, fn func(tx Tx, inst *Instance) error) error {
	return s.update(ctx, func(tx Tx) error {
		inst, err := s.getInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := fn(tx, inst); err != nil {
			return err
		}
		return putDoc(tx, KindInstance, "", inst.ID, inst.Alias, inst.CreatedTime, s.now(), inst)
	})
}

// associate adds an entry to one of an instance's integration lists:
// ResourceConflictException when it is there already, unless this is a
// retry of the request (same ClientToken and parameters) that added it;
// ServiceQuotaExceededException past limit.
func associate[T comparable](s *Service, ctx context.Context, op, instanceID, clientToken string, v T, what string, limit int, quota string,
	list func(*Instance) *[]T) error {
	tok := newClientToken(op, clientToken, v)
	return s.modifyInstance(ctx, instanceID, func(tx Tx, inst *Instance) error {
		prior, err := s.claimToken(tx, inst.ID, tok, "associated", s.now())
		if err != nil || prior != "" {
			return err
		}
		l := list(inst)
		if slices.Contains(*l, v) {
			return Errorf(ErrResourceConflict, "%s is already associated with instance %s.", what, inst.ID)
		}
		if len(*l) >= limit {
			return Errorf(ErrQuotaExceeded, "Instance %s already has %d of these, its quota; disassociate one, or start the server with --quota %s=N.", inst.ID, len(*l), quota)
		}
		*l = append(*l, v)
		return nil
	})
}

// disassociate removes an entry: ResourceNotFoundException when it is not
// there, unless this is a retry of the request that removed it.
func disassociate[T comparable](s *Service, ctx context.Context, op, instanceID, clientToken string, v T, what string, list func(*Instance) *[]T) error {
	tok := newClientToken(op, clientToken, v)
	return s.modifyInstance(ctx, instanceID, func(tx Tx, inst *Instance) error {
		prior, err := s.claimToken(tx, inst.ID, tok, "disassociated", s.now())
		if err != nil || prior != "" {
			return err
		}
		l := list(inst)
		i := slices.Index(*l, v)
		if i < 0 {
			return Errorf(ErrNotFound, "%s is not associated with instance %s.", what, inst.ID)
		}
		*l = slices.Delete(*l, i, i+1)
		return nil
	})
}

// listIntegration pages through one of an instance's integration lists.
func listIntegration[T any](s *Service, ctx context.Context, instanceID string, page Page, list func(*Instance) []T) ([]T, string, error) {
	inst, err := s.DescribeInstance(ctx, instanceID)
	if err != nil {
		return nil, "", err
	}
	page.Default = 25 // the most the model allows in a page
	return pageSlice(list(inst), page)
}

func lambdaList(inst *Instance) *[]string         { return &inst.LambdaFunctions }
func originList(inst *Instance) *[]string         { return &inst.ApprovedOrigins }
func botList(inst *Instance) *[]LexBotAssociation { return &inst.LexBots }

func checkLambdaARN(arn string) error {
	if !lambdaARNPattern.MatchString(arn) {
		return Errorf(ErrInvalidParameter, "FunctionArn %q is not a Lambda function ARN; use arn:aws:lambda:REGION:ACCOUNT:function:NAME (with an optional :ALIAS or :VERSION).", clip(arn, 140))
	}
	return nil
}

// AssociateLambdaFunction lets the instance's flows call a function.
func (s *Service) AssociateLambdaFunction(ctx context.Context, instanceID, functionARN, clientToken string) error {
	if err := checkLambdaARN(functionARN); err != nil {
		return err
	}
	return associate(s, ctx, "AssociateLambdaFunction", instanceID, clientToken, functionARN, "Lambda function "+functionARN,
		s.quotas.LambdaFunctions, "lambda-functions", lambdaList)
}

// DisassociateLambdaFunction takes a function off the instance.
func (s *Service) DisassociateLambdaFunction(ctx context.Context, instanceID, functionARN, clientToken string) error {
	if err := checkLambdaARN(functionARN); err != nil {
		return err
	}
	return disassociate(s, ctx, "DisassociateLambdaFunction", instanceID, clientToken, functionARN, "Lambda function "+functionARN, lambdaList)
}

// ListLambdaFunctions pages through the associated functions.
func (s *Service) ListLambdaFunctions(ctx context.Context, instanceID string, page Page) ([]string, string, error) {
	return listIntegration(s, ctx, instanceID, page, func(inst *Instance) []string { return inst.LambdaFunctions })
}

// normalizeOrigin checks an approved origin (a scheme and host, with an
// optional port, as browsers send in Origin) and returns it without a
// trailing slash.
func normalizeOrigin(origin string) (string, error) {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", Errorf(ErrInvalidParameter, "Origin %q is not a web origin; use the scheme and host a browser sends, such as https://www.example.com.", clip(origin, 267))
	}
	return u.Scheme + "://" + u.Host, nil
}

// AssociateApprovedOrigin allows a web origin to embed the instance's chat.
func (s *Service) AssociateApprovedOrigin(ctx context.Context, instanceID, origin, clientToken string) error {
	o, err := normalizeOrigin(origin)
	if err != nil {
		return err
	}
	return associate(s, ctx, "AssociateApprovedOrigin", instanceID, clientToken, o, "Origin "+o,
		s.quotas.ApprovedOrigins, "approved-origins", originList)
}

// DisassociateApprovedOrigin removes an approved origin.
func (s *Service) DisassociateApprovedOrigin(ctx context.Context, instanceID, origin, clientToken string) error {
	o, err := normalizeOrigin(origin)
	if err != nil {
		return err
	}
	return disassociate(s, ctx, "DisassociateApprovedOrigin", instanceID, clientToken, o, "Origin "+o, originList)
}

// ListApprovedOrigins pages through the approved origins.
func (s *Service) ListApprovedOrigins(ctx context.Context, instanceID string, page Page) ([]string, string, error) {
	return listIntegration(s, ctx, instanceID, page, func(inst *Instance) []string { return inst.ApprovedOrigins })
}

// checkBot validates a bot as AssociateBot, AssociateLexBot and their
// counterparts take it: exactly one of a V1 bot (name and region) and a V2
// alias ARN.
func checkBot(b LexBotAssociation) error {
	v1 := b.Name != "" || b.Region != ""
	switch {
	case v1 == b.V2():
		return Errorf(ErrInvalidRequest, "Give exactly one of LexBot (a Lex V1 bot's Name and LexRegion) and LexV2Bot (a Lex V2 bot alias's AliasArn).")
	case v1 && (b.Name == "" || b.Region == ""):
		return Errorf(ErrInvalidParameter, "A Lex V1 bot needs both its Name and its LexRegion.")
	case b.V2() && !lexAliasARNPattern.MatchString(b.AliasArn):
		return Errorf(ErrInvalidParameter, "AliasArn %q is not a Lex V2 bot alias ARN; use arn:aws:lex:REGION:ACCOUNT:bot-alias/BOT_ID/ALIAS_ID.", clip(b.AliasArn, 100))
	}
	return nil
}

func (b LexBotAssociation) describe() string {
	if b.V2() {
		return "Lex V2 bot alias " + b.AliasArn
	}
	return "Lex bot " + b.Name + " in " + b.Region
}

// AssociateBot lets the instance's flows talk to a Lex bot (op names the
// operation, AssociateBot or AssociateLexBot, for its ClientToken).
func (s *Service) AssociateBot(ctx context.Context, op, instanceID string, b LexBotAssociation, clientToken string) error {
	if err := checkBot(b); err != nil {
		return err
	}
	return associate(s, ctx, op, instanceID, clientToken, b, b.describe(), s.quotas.LexBots, "lex-bots", botList)
}

// DisassociateBot takes a bot off the instance.
func (s *Service) DisassociateBot(ctx context.Context, op, instanceID string, b LexBotAssociation, clientToken string) error {
	if err := checkBot(b); err != nil {
		return err
	}
	return disassociate(s, ctx, op, instanceID, clientToken, b, b.describe(), botList)
}

// ListBots pages through the associated bots of one Lex version ("V1" or
// "V2").
func (s *Service) ListBots(ctx context.Context, instanceID, version string, page Page) ([]LexBotAssociation, string, error) {
	if version != "V1" && version != "V2" {
		return nil, "", Errorf(ErrInvalidRequest, "LexVersion %q is not valid; use V1 or V2.", clip(version, 16))
	}
	return listIntegration(s, ctx, instanceID, page, func(inst *Instance) []LexBotAssociation {
		return slices.DeleteFunc(slices.Clone(inst.LexBots), func(b LexBotAssociation) bool { return b.V2() != (version == "V2") })
	})
}
