package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const (
	repoRoot      = "../.."
	trimmedModel  = repoRoot + "/api/models/connect.json"
	opsList       = repoRoot + "/api/connect-operations.txt"
	connectwire   = repoRoot + "/awsapi/connectwire"
	fullModelPath = repoRoot + "/../shared/models/connect.json"
)

// TestRegenerationIsNoOp guards against hand edits of generated files and
// generator changes committed without regenerating.
func TestRegenerationIsNoOp(t *testing.T) {
	data, err := os.ReadFile(trimmedModel)
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(data, "connectwire", connectwire)
	if err != nil {
		t.Fatal(err)
	}
	const hint = "run `go generate ./awsapi/connectwire` and commit the result"
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(connectwire, name))
		if err != nil {
			t.Errorf("%s: %v; %s", name, err, hint)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale (first difference at line %d); %s", name, firstDiffLine(got, want), hint)
		}
	}
	existing, _ := filepath.Glob(filepath.Join(connectwire, generatedPrefix+"*.go"))
	for _, f := range existing {
		if _, ok := files[filepath.Base(f)]; !ok {
			t.Errorf("%s is no longer generated; %s", f, hint)
		}
	}
}

// TestTrimIsNoOp checks the committed trimmed model matches the operations
// list, when the full upstream model is available.
func TestTrimIsNoOp(t *testing.T) {
	full, err := os.ReadFile(fullModelPath)
	if os.IsNotExist(err) {
		t.Skipf("%s not present; cannot check the trimmed model", fullModelPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	ops, err := readOpsList(opsList)
	if err != nil {
		t.Fatal(err)
	}
	want, err := trimModel(full, ops)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(trimmedModel)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("api/models/connect.json is stale (first difference at line %d); run `go run ./tools/apigen trim` then `go generate ./awsapi/connectwire`", firstDiffLine(got, want))
	}
}

func firstDiffLine(a, b []byte) int {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range la {
		if i >= len(lb) || la[i] != lb[i] {
			return i + 1
		}
	}
	return len(la) + 1
}

const miniModel = `{
  "version": "2.0",
  "metadata": {"protocol": "rest-json", "documentation": "x"},
  "documentation": "top",
  "operations": {
    "GetThing": {"name": "GetThing", "http": {"method": "GET", "requestUri": "/things/{Id}"},
      "input": {"shape": "GetThingRequest"}, "output": {"shape": "GetThingResponse"},
      "errors": [{"shape": "NotFound"}], "documentation": "doc"},
    "Other": {"name": "Other", "http": {"method": "POST", "requestUri": "/other"},
      "input": {"shape": "OtherRequest"}}
  },
  "shapes": {
    "GetThingRequest": {"type": "structure", "required": ["Id"], "members": {
      "Id": {"shape": "Id", "location": "uri", "locationName": "Id", "documentation": "d"}}},
    "GetThingResponse": {"type": "structure", "members": {"Name": {"shape": "Id"}}},
    "Id": {"type": "string", "min": 1, "max": 5, "documentation": "id"},
    "NotFound": {"type": "structure", "members": {"Message": {"shape": "Id"}}, "error": {"httpStatusCode": 404}, "exception": true},
    "OtherRequest": {"type": "structure", "members": {"Unused": {"shape": "Unused"}}},
    "Unused": {"type": "string"}
  }
}`

func TestTrimMini(t *testing.T) {
	out, err := trimModel([]byte(miniModel), []string{"GetThing"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, bad := range []string{"documentation", "OtherRequest", "Unused"} {
		if strings.Contains(s, bad) {
			t.Errorf("trimmed model still contains %q:\n%s", bad, s)
		}
	}
	for _, good := range []string{`"GetThingRequest"`, `"NotFound"`, `"` + otherOpsKey + `"`, `"requestUri": "/other"`} {
		if !strings.Contains(s, good) {
			t.Errorf("trimmed model lacks %s:\n%s", good, s)
		}
	}
	// Trimming is idempotent.
	again, err := trimModel(out, []string{"GetThing"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(again), `"GetThing"`) {
		t.Error("retrim lost the operation")
	}
	if _, err := trimModel([]byte(miniModel), []string{"GetThing", "Nope"}); err == nil || !strings.Contains(err.Error(), "Nope") {
		t.Errorf("unknown operation not reported: %v", err)
	}
}

func TestGenRejectsOutputBinding(t *testing.T) {
	bad := strings.Replace(miniModel, `"members": {"Name": {"shape": "Id"}}`, `"members": {"Name": {"shape": "Id", "location": "header", "locationName": "X-Name"}}`, 1)
	trimmed, err := trimModel([]byte(bad), []string{"GetThing"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := generate(trimmed, "p", t.TempDir()); err == nil || !strings.Contains(err.Error(), "output member Name") {
		t.Fatalf("want output binding error, got %v", err)
	}
}

func TestGenMiniCompilesShape(t *testing.T) {
	trimmed, err := trimModel([]byte(miniModel), []string{"GetThing"})
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(trimmed, "p", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "zz_generated_enums.go,zz_generated_ops.go,zz_generated_types.go,zz_generated_validate.go" {
		t.Errorf("files: %v", names)
	}
	ops := string(files["zz_generated_ops.go"])
	for _, want := range []string{
		`{Operation: "GetThing", Method: "GET", Path: "/things/{Id}", ValidationException: ""`,
		`"NotFound": {Name: "NotFound", HTTPStatus: 404, Fault: "client"}`,
		`{Name: "Other", Method: "POST", Path: "/other"}`,
		`GetThing(ctx context.Context, in *GetThingRequest) (*GetThingResponse, error)`,
	} {
		if !strings.Contains(ops, want) {
			t.Errorf("ops file lacks %s\n%s", want, ops)
		}
	}
	if !strings.HasPrefix(ops, "// Code generated ") || !strings.Contains(ops, "DO NOT EDIT.") {
		t.Error("missing generated-code header")
	}
}

func TestGenUnionAndRecursion(t *testing.T) {
	model := strings.Replace(miniModel, `"Unused": {"type": "string"}`, `"Unused": {"type": "structure", "union": true, "members": {
      "A": {"shape": "Id"}, "Nested": {"shape": "Unused"}, "Many": {"shape": "UnusedList"}}},
    "UnusedList": {"type": "list", "member": {"shape": "Unused"}, "max": 3}`, 1)
	trimmed, err := trimModel([]byte(model), []string{"GetThing", "Other"})
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(trimmed, "p", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	v := string(files["zz_generated_validate.go"])
	for _, want := range []string{
		"v.Union(path, s.A != nil, s.Nested != nil, s.Many != nil)",
		"s.Nested.validate(v, wire.MemberPath(path, \"Nested\"))",
		"val[i].validate(v, wire.IndexPath(path, i))",
		"v.MaxItems(path, len(val), 3)",
		"if !v.Enter(path) {",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("validate file lacks %s\n%s", want, v)
		}
	}
	types := string(files["zz_generated_types.go"])
	for _, want := range []string{"Nested *Unused", "Many   []Unused", "OtherResponse is the (empty) result"} {
		if !strings.Contains(types, want) {
			t.Errorf("types file lacks %q\n%s", want, types)
		}
	}
}

func TestTranslatePattern(t *testing.T) {
	cases := []struct {
		in, pos string
		not     []string
		skip    bool
	}{
		{in: `^[a-z]+$`, pos: `^[a-z]+$`},
		{in: `.*\\S.*`, pos: `.*\S.*`}, // doubly escaped
		{in: `[\u0009\u000A\u0020-\u007E]+$`, pos: `[\x{0009}\x{000A}\x{0020}-\x{007E}]+$`},
		{in: `^(?!aws:)[a-z:]+$`, pos: `^[a-z:]+$`, not: []string{`^(?:aws:)`}},
		{in: `^(?!\\.$)(?!\\.\\.$)[a-z.]+$`, pos: `^[a-z.]+$`, not: []string{`^(?:\.$)`, `^(?:\.\.$)`}},
		{in: `(?!aws:|connect:)[a-z]+$`, skip: true},                  // unanchored lookahead
		{in: `/^(?=.*[a-z])(?=.*\d)[a-zA-Z\d\S]{8,64}$/`, skip: true}, // lookahead
		{in: `[a-z&&[^c]]`, skip: true},                               // Java class intersection
		{in: `a*+`, skip: true},                                       // possessive
		{in: `\p{Alpha}`, skip: true},                                 // Java POSIX class name
	}
	for _, c := range cases {
		pos, not, why := translatePattern(c.in)
		if c.skip {
			if why == "" {
				t.Errorf("%q: expected skip, got %q %q", c.in, pos, not)
			}
			continue
		}
		if why != "" || pos != c.pos || strings.Join(not, "|") != strings.Join(c.not, "|") {
			t.Errorf("%q: got %q %q (%s), want %q %q", c.in, pos, not, why, c.pos, c.not)
		}
	}
}

func TestCountedClass(t *testing.T) {
	cases := []struct {
		in, pos string
		runes   [2]int
	}{
		{`^[\P{C}\r\n\t]{1,250}$`, `^[\P{C}\r\n\t]*$`, [2]int{1, 250}},
		{`^[a-z\]]{0,5}$`, `^[a-z\]]*$`, [2]int{0, 5}},
		{`^[a-z]{1,5}`, `^[a-z]{1,5}`, [2]int{}},             // not anchored at the end
		{`^[a-z]{5}$`, `^[a-z]{5}$`, [2]int{}},               // an exact count
		{`^[a-z]{1,5}[0-9]$`, `^[a-z]{1,5}[0-9]$`, [2]int{}}, // more than one class
		{`^[a-z]{5,1}$`, `^[a-z]{5,1}$`, [2]int{}},
	}
	for _, c := range cases {
		pos, runes := countedClass(c.in)
		if pos != c.pos || runes != c.runes {
			t.Errorf("%q: got %q %v, want %q %v", c.in, pos, runes, c.pos, c.runes)
		}
	}
}

func TestEnumValueName(t *testing.T) {
	for in, want := range map[string]string{
		"VOICE": "Voice", "AGENT_WHISPER": "AgentWhisper", "en-US": "EnUs", "ContactFlow": "ContactFlow",
		"Times New Roman": "TimesNewRoman", "mp3": "Mp3", "": "Empty",
	} {
		if got := enumValueName(in); got != want {
			t.Errorf("enumValueName(%q) = %q, want %q", in, got, want)
		}
	}
}
