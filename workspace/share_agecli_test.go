package workspace_test

// Interoperability with the age command-line tool (Debian package age) in
// both directions. age reads passphrases from the terminal only, so the
// test gives it one with script(1). make test installs age with the test
// packages; the test fails, not skips, where it is missing.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"briefboard/workspace"
)

func runAge(t *testing.T, input, command string) {
	t.Helper()
	cmd := exec.Command("script", "-qec", command, "/dev/null")
	cmd.Stdin = strings.NewReader(input)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", command, err, out)
	}
}

func TestShare_AgeCLIReadsAndWritesOurFiles(t *testing.T) {
	s := mustOpenStore(t)
	dir := t.TempDir()
	pass := "desk passphrase"
	enc := filepath.Join(dir, "enc.briefboard")
	if _, err := s.ShareToFile(enc, workspace.ShareOptions{Passphrase: []byte(pass)}); err != nil {
		t.Fatal(err)
	}
	// age decrypts Briefboard's file to an ordinary share file.
	plain := filepath.Join(dir, "dec.zip")
	runAge(t, pass+"\n", "age -d -o "+plain+" "+enc)
	data, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := workspace.ReadShare(strings.NewReader(string(data)), nil); err != nil {
		t.Fatalf("what age decrypted is not a share file: %v", err)
	}
	// Briefboard opens a share file age encrypted.
	byAge := filepath.Join(dir, "byage.briefboard")
	runAge(t, pass+"\n"+pass+"\n", "age -p -o "+byAge+" "+plain)
	sf, err := workspace.ReadShareFile(byAge, []byte(pass))
	if err != nil || !sf.Encrypted {
		t.Fatalf("Briefboard cannot open age's file: %v", err)
	}
}
