package workspace

// AtLeast reports whether t is as restrictive as o, or more.
func (t TLP) AtLeast(o TLP) bool { return t >= o }

// WantsEncryption reports whether a file carrying material marked t
// should be encrypted: from TLP:AMBER up, material is for named recipients
// only, and a plain file on a stick or in a mailbox reaches anyone who
// finds it.
func (t TLP) WantsEncryption() bool { return t.AtLeast(TLPAmber) }
