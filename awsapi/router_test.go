package awsapi

import (
	"testing"

	"github.com/switchboard-cc/switchboard/awsapi/connectwire"
)

func testRouter() *router[string] {
	rt := newRouter[string]()
	for _, r := range connectwire.Routes {
		rt.add(r.Method, r.Path, r.Operation)
	}
	rt.add("GET", "/files/{Key+}", "Greedy")
	return rt
}

func TestRouterMatch(t *testing.T) {
	rt := testRouter()
	for _, c := range []struct {
		method, path, op string
		params           map[string]string
	}{
		{"GET", "/contacts/i-1/c-2", "DescribeContact", map[string]string{"InstanceId": "i-1", "ContactId": "c-2"}},
		{"POST", "/contacts/i-1/c-2/routing-data", "UpdateContactRoutingData", nil},
		{"PUT", "/contact/task", "StartTaskContact", nil},
		{"GET", "/contact-flows/i/arn%3Aaws%3Aconnect%3Ax", "DescribeContactFlow", map[string]string{"ContactFlowId": "arn:aws:connect:x"}},
		{"GET", "/files/a/b%20c/d", "Greedy", map[string]string{"Key": "a/b c/d"}},
		{"GET", "/instance/", "ListInstances", nil},
	} {
		op, params, ok := rt.match(c.method, c.path)
		if !ok || op != c.op {
			t.Errorf("%s %s matched %q (%v), want %s", c.method, c.path, op, ok, c.op)
			continue
		}
		for k, v := range c.params {
			if params[k] != v {
				t.Errorf("%s %s: param %s = %q, want %q", c.method, c.path, k, params[k], v)
			}
		}
	}
	for _, p := range []string{"/contacts/i-1", "/contacts//c", "/nothing", "/contacts/i/c/bad%zz"} {
		if op, _, ok := rt.match("GET", p); ok {
			t.Errorf("GET %s matched %s", p, op)
		}
	}
}

// FuzzRouter: any method and path either match or not; never a panic.
func FuzzRouter(f *testing.F) {
	rt := testRouter()
	f.Add("GET", "/contacts/a/b")
	f.Add("POST", "/contacts/%zz/b/routing-data")
	f.Add("GET", "/files/")
	f.Add("PUT", "//////")
	f.Fuzz(func(t *testing.T, method, path string) {
		_, params, ok := rt.match(method, path)
		if ok && params == nil {
			t.Fatal("match without params map")
		}
		_ = rt.methods(path)
	})
}
