package workspace

// AtLeast reports whether t is as restrictive as o, or more.
func (t TLP) AtLeast(o TLP) bool { return t >= o }

// CappedAt is the strictest marking an output capped at limit can carry
// from records whose strictest marking is t: t itself, or limit when t is
// stricter. A nil limit leaves t. It is an upper bound: the output may
// hold nothing at limit.
func (t TLP) CappedAt(limit *TLP) TLP {
	if limit != nil && t > *limit {
		return *limit
	}
	return t
}

// WantsEncryption reports whether a file carrying material marked t
// should be encrypted: from TLP:AMBER up, material is for named recipients
// only, and a plain file on a stick or in a mailbox reaches anyone who
// finds it.
func (t TLP) WantsEncryption() bool { return t.AtLeast(TLPAmber) }
