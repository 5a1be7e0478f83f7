package workspace

import (
	"encoding/binary"
	"fmt"
)

// Every key the store writes, in one place. Records are JSON values under
// typed prefixes; each record's merge stamps sit under "stamp/" plus the
// record's key. Scan a prefix with it.Seek(p) and it.ValidForPrefix(p).
const (
	keySchema  = "schema"        // schema version, decimal
	keyMeta    = "meta"          // the workspace header (Meta)
	keyClock   = "local/clock"   // Lamport clock, decimal
	keyReplica = "local/replica" // this copy's replica id and directory identity
	keyProfile = "local/profile" // the analyst profile of this copy
	keyUndo    = "local/undo"    // journal sequence numbers that can be undone
	keyRedo    = "local/redo"    // and redone
	keySeq     = "local/seq"     // last journal sequence number

	prefixBoard      = "board/"
	prefixLane       = "lane/"
	prefixCard       = "card/"
	prefixSource     = "src/"
	prefixAnn        = "ann/"     // ann/<card>/<id>
	prefixACH        = "ach/"     // ach/<id>: ACH matrices
	prefixACHRow     = "achrow/"  // achrow/<matrix>/<card>: evidence rows
	prefixExtra      = "xtra/"    // xtra/<id>: interchange data kept for an export (Extra)
	prefixAcceptance = "acc/"     // acc/<card>/<rule>: accepted tradecraft findings
	prefixBrief      = "brief/"   // brief/<id>: a recorded brief (RecordedBrief)
	prefixStamp      = "stamp/"   // stamp/<record key>
	prefixLog        = "log/"     // log/<seq, 8 bytes big-endian>
	prefixLogPart    = "logpart/" // logpart/<seq>/<n>: pieces of a large entry
	prefixOrder      = "ix/"      // ix/<lane>/<order>/<card>: cards of a lane in order
	prefixLocal      = "local/"
	prefixStage      = "stage/" // stage/<n>: chunks of a large action (commit.go)
	keyStageDone     = "stage/commit"
)

func boardKey(id string) []byte  { return []byte(prefixBoard + id) }
func laneKey(id string) []byte   { return []byte(prefixLane + id) }
func cardKey(id string) []byte   { return []byte(prefixCard + id) }
func sourceKey(id string) []byte { return []byte(prefixSource + id) }
func annKey(card, id string) []byte {
	return []byte(prefixAnn + card + "/" + id)
}
func achKey(id string) []byte { return []byte(prefixACH + id) }
func achRowKey(matrix, card string) []byte {
	return []byte(prefixACHRow + matrix + "/" + card)
}
func stampKey(recordKey []byte) []byte { return append([]byte(prefixStamp), recordKey...) }
func orderIndexKey(lane, order, card string) []byte {
	return []byte(prefixOrder + lane + "/" + order + "/" + card)
}
func orderIndexPrefix(lane string) []byte { return []byte(prefixOrder + lane + "/") }

func logKey(seq uint64) []byte {
	k := make([]byte, len(prefixLog)+8)
	copy(k, prefixLog)
	binary.BigEndian.PutUint64(k[len(prefixLog):], seq)
	return k
}

func seqOfLogKey(k []byte) (uint64, error) {
	if len(k) != len(prefixLog)+8 {
		return 0, fmt.Errorf("malformed journal key %q", k)
	}
	return binary.BigEndian.Uint64(k[len(prefixLog):]), nil
}

func logChunkKey(seq uint64, n int) []byte {
	return []byte(fmt.Sprintf("%s%016x/%06d", prefixLogPart, seq, n))
}

func stageKey(i int) []byte { return []byte(fmt.Sprintf("%s%08d", prefixStage, i)) }
