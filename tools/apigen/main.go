// Command apigen turns a botocore API model into Switchboard's wire layer.
//
//	go run ./tools/apigen trim [-model ../shared/models/connect.json] [-ops api/connect-operations.txt] [-out api/models/connect.json]
//	go run ./tools/apigen gen  [-model api/models/connect.json] [-pkg connectwire] [-out awsapi/connectwire]
//
// "trim" keeps only the operations we implement (and the shapes they reach)
// so the repository carries a small, documentation-free model; "gen" reads
// that trimmed model and writes zz_generated_*.go files. Nothing is specific
// to Amazon Connect: the participant service uses the same commands with
// other flags (connectparticipant.json, -pkg participantwire, ...).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "trim":
		err = runTrim(os.Args[2:])
	case "gen":
		err = runGen(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: apigen trim [-model file] [-ops file] [-out file]\n       apigen gen [-model file] [-pkg name] [-out dir]")
	os.Exit(2)
}

func runTrim(args []string) error {
	fs := flag.NewFlagSet("trim", flag.ExitOnError)
	model := fs.String("model", "../shared/models/connect.json", "full botocore model")
	ops := fs.String("ops", "api/connect-operations.txt", "operations to keep, one per line")
	out := fs.String("out", "api/models/connect.json", "trimmed model to write")
	fs.Parse(args)
	full, err := os.ReadFile(*model)
	if err != nil {
		return err
	}
	names, err := readOpsList(*ops)
	if err != nil {
		return err
	}
	trimmed, err := trimModel(full, names)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, trimmed, 0o644)
}

func runGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	model := fs.String("model", "api/models/connect.json", "trimmed model")
	pkg := fs.String("pkg", "connectwire", "Go package name")
	out := fs.String("out", "awsapi/connectwire", "package directory")
	fs.Parse(args)
	data, err := os.ReadFile(*model)
	if err != nil {
		return err
	}
	files, err := generate(data, *pkg, *out)
	if err != nil {
		return err
	}
	// Remove generated files we no longer produce so renames don't leave
	// stale code behind.
	old, _ := filepath.Glob(filepath.Join(*out, generatedPrefix+"*.go"))
	for _, f := range old {
		if _, keep := files[filepath.Base(f)]; !keep {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(*out, n), files[n], 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "apigen: wrote %s into %s\n", strings.Join(names, ", "), *out)
	return nil
}
