package awsapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// newAddress creates an address and returns its ID.
func (e *ctEnv) newAddress(addr string) string {
	e.t.Helper()
	out, err := e.Client.CreateEmailAddress(e.ctx(), &connect.CreateEmailAddressInput{InstanceId: aws.String(e.iid), EmailAddress: aws.String(addr),
		DisplayName: aws.String(strings.Split(addr, "@")[0])})
	if err != nil {
		e.t.Fatal(err)
	}
	return *out.EmailAddressId
}

func (e *ctEnv) alias(raw bool, op, primary, alias string, token ...string) error {
	c := e.Client
	if raw {
		c = e.Raw
	}
	cfg := &types.AliasConfiguration{EmailAddressId: aws.String(alias)}
	var tok *string
	if len(token) > 0 {
		tok = aws.String(token[0])
	}
	var err error
	if op == "associate" {
		_, err = c.AssociateEmailAddressAlias(e.ctx(), &connect.AssociateEmailAddressAliasInput{InstanceId: aws.String(e.iid), EmailAddressId: aws.String(primary), AliasConfiguration: cfg, ClientToken: tok})
	} else {
		_, err = c.DisassociateEmailAddressAlias(e.ctx(), &connect.DisassociateEmailAddressAliasInput{InstanceId: aws.String(e.iid), EmailAddressId: aws.String(primary), AliasConfiguration: cfg, ClientToken: tok})
	}
	return err
}

func (e *ctEnv) aliasesOf(id string) []string {
	e.t.Helper()
	out, err := e.Client.DescribeEmailAddress(e.ctx(), &connect.DescribeEmailAddressInput{InstanceId: aws.String(e.iid), EmailAddressId: aws.String(id)})
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []string
	for _, a := range out.AliasConfigurations {
		ids = append(ids, *a.EmailAddressId)
	}
	return ids
}

// TestEmailAddressAliasForwards: mail to an alias becomes a contact of
// the primary address (center's TestEmailAddressInboundFlow sees it run
// the primary's inbound flow); Describe and Search
// show the alias on the primary; after DisassociateEmailAddressAlias the
// alias receives mail as itself again.
func TestEmailAddressAliasForwards(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	support := e.newAddress("support@shop.example")
	help := e.newAddress("help@shop.example")
	if err := e.alias(false, "associate", support, help, "tok-1"); err != nil {
		t.Fatal(err)
	}
	// The same request again (same token, or none) changes nothing.
	if err := e.alias(false, "associate", support, help, "tok-1"); err != nil {
		t.Fatal(err)
	}
	if err := e.alias(false, "associate", support, help); err != nil {
		t.Fatal(err)
	}
	if got := e.aliasesOf(support); len(got) != 1 || got[0] != help {
		t.Fatalf("AliasConfigurations of the primary = %v", got)
	}
	if got := e.aliasesOf(help); len(got) != 0 {
		t.Errorf("the alias lists aliases %v", got)
	}
	found, err := e.Client.SearchEmailAddresses(e.ctx(), &connect.SearchEmailAddressesInput{InstanceId: &e.iid, SearchCriteria: &types.EmailAddressSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("EmailAddress"), Value: aws.String("support@shop.example"), ComparisonType: types.StringComparisonTypeExact}}})
	if err != nil || len(found.EmailAddresses) != 1 || len(found.EmailAddresses[0].AliasConfigurations) != 1 {
		t.Fatalf("SearchEmailAddresses = %+v, %v", found, err)
	}

	in := e.emailInput("HELP@shop.example")
	out, err := e.Client.StartEmailContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	c := e.describe(*out.ContactId)
	if aws.ToString(c.SystemEndpoint.Address) != "support@shop.example" {
		t.Errorf("mail to the alias arrived at %s, want the primary", aws.ToString(c.SystemEndpoint.Address))
	}

	if err := e.alias(false, "disassociate", support, help); err != nil {
		t.Fatal(err)
	}
	if got := e.aliasesOf(support); len(got) != 0 {
		t.Errorf("after disassociating, AliasConfigurations = %v", got)
	}
	out, err = e.Client.StartEmailContact(e.ctx(), e.emailInput("help@shop.example"))
	if err != nil {
		t.Fatal(err)
	}
	if a := aws.ToString(e.describe(*out.ContactId).SystemEndpoint.Address); a != "help@shop.example" {
		t.Errorf("after disassociating, mail to the former alias arrived at %s", a)
	}
	sbtest.APIError(t, e.alias(true, "disassociate", support, help), "ResourceNotFoundException", http.StatusNotFound)
}

func TestEmailAddressAliasRules(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	a, b, c, d := e.newAddress("a@x.example"), e.newAddress("b@x.example"), e.newAddress("c@x.example"), e.newAddress("d@x.example")
	if err := e.alias(false, "associate", a, b); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		err    error
		code   string
		status int
	}{
		"itself":             {e.alias(true, "associate", c, c), "InvalidRequestException", 400},
		"second alias":       {e.alias(true, "associate", a, c), "ResourceConflictException", 409},
		"alias taken":        {e.alias(true, "associate", c, b), "ResourceConflictException", 409},
		"chain under alias":  {e.alias(true, "associate", b, c), "InvalidRequestException", 400},
		"chain above":        {e.alias(true, "associate", d, a), "InvalidRequestException", 400},
		"no such alias":      {e.alias(true, "associate", c, "nope"), "ResourceNotFoundException", 404},
		"no such primary":    {e.alias(true, "associate", "nope", c), "ResourceNotFoundException", 404},
		"token reused":       {e.alias(true, "associate", c, d, "t"), "", 0},
		"token other params": {e.alias(true, "associate", d, c, "t"), "IdempotencyException", 409},
		"not its alias":      {e.alias(true, "disassociate", a, c), "ResourceNotFoundException", 404},
		"no alias config": {func() error {
			_, err := e.Raw.AssociateEmailAddressAlias(e.ctx(), &connect.AssociateEmailAddressAliasInput{InstanceId: &e.iid, EmailAddressId: aws.String(a)})
			return err
		}(), "InvalidParameterException", 400},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.code == "" {
				if tc.err != nil {
					t.Fatal(tc.err)
				}
				return
			}
			sbtest.APIError(t, tc.err, tc.code, tc.status)
		})
	}

	// Deleting either side ends the relationship.
	if _, err := e.Client.DeleteEmailAddress(e.ctx(), &connect.DeleteEmailAddressInput{InstanceId: &e.iid, EmailAddressId: aws.String(b)}); err != nil {
		t.Fatal(err)
	}
	if got := e.aliasesOf(a); len(got) != 0 {
		t.Errorf("the deleted alias is still listed: %v", got)
	}
	if _, err := e.Client.DeleteEmailAddress(e.ctx(), &connect.DeleteEmailAddressInput{InstanceId: &e.iid, EmailAddressId: aws.String(c)}); err != nil {
		t.Fatal(err)
	}
	if err := e.alias(false, "associate", d, e.newAddress("e@x.example")); err != nil {
		t.Fatalf("d's alias c was deleted, so d may take another: %v", err)
	}
}
