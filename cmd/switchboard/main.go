// Command switchboard runs the Switchboard server: an Amazon Connect
// compatible contact center that the AWS SDKs and CLI talk to unchanged.
//
//	switchboard serve [flags]     run the server (see `switchboard serve -h`)
//	switchboard clock [advance D]  read or move a virtual clock (`switchboard clock -h`)
//	switchboard export-contact-records --instance ID --from T --to T
//	                              write contact records as JSON lines (`-h` for flags)
//	switchboard version           print the version
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "switchboard:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("no command given; run `switchboard serve` to start the server (`switchboard serve -h` lists its flags)")
	}
	switch args[0] {
	case "serve":
		m := NewMain()
		if err := m.ParseFlags(args[1:]); err != nil {
			return err
		}
		// Process-wide, so here rather than in Run (which tests call).
		m.GCTuning = tuneGC()
		return m.Run(ctx)
	case "clock":
		return clockCommand(ctx, args[1:], os.Stdout)
	case "export-contact-records":
		return exportCommand(ctx, args[1:], os.Stdout, os.Stderr)
	case "version":
		fmt.Println("switchboard", version)
		return nil
	case "help", "-h", "--help":
		fmt.Println("usage: switchboard serve [flags] | switchboard clock [advance DURATION | set TIME] | switchboard export-contact-records --instance ID --from TIME --to TIME | switchboard version")
		return nil
	}
	return fmt.Errorf("unknown command %q; the commands are serve, clock, export-contact-records and version", args[0])
}
