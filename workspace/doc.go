// Package workspace is Briefboard's domain: the records an analyst works with
// (boards of cards in lanes, graded sources, annotations, party positions),
// the Badger store that keeps them, the change journal behind undo and redo,
// and search.
//
// It imports neither Fyne nor the ui or export packages; they depend on it.
//
// # Records and merge metadata
//
// Every record (Board, Lane, Card, Source, Annotation and the workspace's own
// header) has a stable random id. Next to each record the store keeps its
// Stamps: for every field, who changed it last, on which replica, at which
// logical clock, and the version vector of what that replica had seen of the
// field. Two writes of one field are ordered when one version vector
// dominates the other and concurrent otherwise, which is what merging a
// colleague's file needs to tell a later edit from a conflicting one.
//
// Each copy of a workspace has its own replica id. A copy made by copying the
// directory is detected on open (the directory's identity changed) and gets a
// new replica id, so two copies never write under the same one.
//
// The logical clock is a Lamport clock per workspace: every action takes the
// next value, and merging moves it past every clock it has seen.
package workspace
