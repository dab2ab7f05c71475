package awsapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

const vocabContent = "Phrase\tIPA\tSoundsLike\tDisplayAs\nSwitchboard\t\t\tSwitchboard\n"

func TestVocabularies(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	create := func(name string, lang types.VocabularyLanguageCode) *connect.CreateVocabularyOutput {
		t.Helper()
		out, err := env.Client.CreateVocabulary(ctx, &connect.CreateVocabularyInput{InstanceId: in, VocabularyName: aws.String(name),
			LanguageCode: lang, Content: aws.String(vocabContent), Tags: map[string]string{"team": "qa"}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	products := create("products-en", types.VocabularyLanguageCodeEnUs)
	create("people-en", types.VocabularyLanguageCodeEnUs)
	fr := create("produits-fr", types.VocabularyLanguageCodeFrFr)
	if products.State != types.VocabularyStateActive || !strings.HasSuffix(*products.VocabularyArn, "/vocabulary/"+*products.VocabularyId) {
		t.Errorf("CreateVocabulary = %+v", products)
	}
	d, err := env.Client.DescribeVocabulary(ctx, &connect.DescribeVocabularyInput{InstanceId: in, VocabularyId: products.VocabularyId})
	if err != nil || *d.Vocabulary.Content != vocabContent || d.Vocabulary.LanguageCode != types.VocabularyLanguageCodeEnUs || d.Vocabulary.Tags["team"] != "qa" {
		t.Fatalf("Describe = %+v, %v", d, err)
	}
	names := func(in *connect.SearchVocabulariesInput) []string {
		t.Helper()
		out, err := env.Client.SearchVocabularies(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range out.VocabularySummaryList {
			got = append(got, *v.Name)
		}
		return got
	}
	if got := names(&connect.SearchVocabulariesInput{InstanceId: in, LanguageCode: types.VocabularyLanguageCodeEnUs}); strings.Join(got, ",") != "people-en,products-en" {
		t.Errorf("en-US vocabularies %v", got)
	}
	if got := names(&connect.SearchVocabulariesInput{InstanceId: in, NameStartsWith: aws.String("produc")}); strings.Join(got, ",") != "products-en" {
		t.Errorf("names starting produc %v", got)
	}

	// Defaults, one per language.
	if _, err := env.Client.AssociateDefaultVocabulary(ctx, &connect.AssociateDefaultVocabularyInput{InstanceId: in, LanguageCode: types.VocabularyLanguageCodeEnUs,
		VocabularyId: products.VocabularyId}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.AssociateDefaultVocabulary(ctx, &connect.AssociateDefaultVocabularyInput{InstanceId: in, LanguageCode: types.VocabularyLanguageCodeEnUs,
		VocabularyId: fr.VocabularyId})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
	defs, err := env.Client.ListDefaultVocabularies(ctx, &connect.ListDefaultVocabulariesInput{InstanceId: in})
	if err != nil || len(defs.DefaultVocabularyList) != 1 || *defs.DefaultVocabularyList[0].VocabularyName != "products-en" || *defs.DefaultVocabularyList[0].InstanceId != iid {
		t.Errorf("defaults %+v, %v", defs, err)
	}
	_, err = env.Raw.DeleteVocabulary(ctx, &connect.DeleteVocabularyInput{InstanceId: in, VocabularyId: products.VocabularyId})
	sbtest.APIError(t, err, "ResourceInUseException", http.StatusConflict)
	if _, err := env.Client.AssociateDefaultVocabulary(ctx, &connect.AssociateDefaultVocabularyInput{InstanceId: in, LanguageCode: types.VocabularyLanguageCodeEnUs}); err != nil {
		t.Fatal(err)
	}
	del, err := env.Client.DeleteVocabulary(ctx, &connect.DeleteVocabularyInput{InstanceId: in, VocabularyId: products.VocabularyId})
	if err != nil || *del.VocabularyId != *products.VocabularyId {
		t.Fatalf("DeleteVocabulary = %+v, %v", del, err)
	}
	_, err = env.Raw.DescribeVocabulary(ctx, &connect.DescribeVocabularyInput{InstanceId: in, VocabularyId: products.VocabularyId})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestVocabularyErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{Vocabularies: 2})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	create := func(name, lang, content string) error {
		_, err := env.Raw.CreateVocabulary(ctx, &connect.CreateVocabularyInput{InstanceId: in, VocabularyName: aws.String(name),
			LanguageCode: types.VocabularyLanguageCode(lang), Content: aws.String(content)})
		return err
	}
	for name, err := range map[string]error{
		"bad name":      create("$dollar", "en-US", vocabContent),
		"bad language":  create("v", "xx-XX", vocabContent),
		"empty content": create("v", "en-US", ""),
	} {
		// CreateVocabulary's model has no InvalidParameterException.
		t.Run(name, func(t *testing.T) { sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest) })
	}
	if err := create("v", "en-US", vocabContent); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create("v", "en-US", vocabContent), "ResourceConflictException", http.StatusConflict)
	if err := create("w", "en-US", vocabContent); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create("x", "en-US", vocabContent), "ServiceQuotaExceededException", http.StatusPaymentRequired)
}
