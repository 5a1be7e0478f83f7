// Command briefboard is Briefboard: with no arguments it opens the window
// on the last workspace; its subcommands work on a workspace headless.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
