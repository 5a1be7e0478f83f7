package workspace_test

import (
	"testing"

	"briefboard/workspace"
)

func TestTLP_Compare(t *testing.T) {
	green, red := workspace.TLPGreen, workspace.TLPRed
	if !red.AtLeast(workspace.TLPAmber) || !green.AtLeast(green) || green.AtLeast(workspace.TLPAmber) {
		t.Fatal("AtLeast does not follow the TLP order")
	}
	want := map[workspace.TLP]bool{workspace.TLPClear: false, workspace.TLPGreen: false,
		workspace.TLPAmber: true, workspace.TLPAmberStrict: true, workspace.TLPRed: true}
	for _, l := range workspace.TLPLevels {
		if l.WantsEncryption() != want[l] {
			t.Errorf("%s wants encryption: %v", l, l.WantsEncryption())
		}
	}
}
