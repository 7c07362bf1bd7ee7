package access

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vigia-mx/vigia/access/redact"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/internal/spanish"
	"github.com/vigia-mx/vigia/internal/suggest"
)

// Masking is what a versión pública keeps unmasked, and how it cites what
// it masks.
type Masking struct {
	// Public are the handles of other public bodies and public figures
	// whose mentions are kept (--public-accounts), beside every account of
	// the directory the archive recorded, official or personal.
	Public []string
	// Networks say how posts mention each network's accounts
	// (directory.NetworkSpec.Mention: "@gobierno" and
	// "@gobierno@social.example" for "@gobierno@social.example"); without
	// them a directory account is kept only when mentioned as its handle
	// is written.
	Networks directory.Networks
	// Texts give the legal basis of each kind of data masked; nil: the
	// embedded policy's.
	Texts *classifier.AnswerTexts
}

// RedactPublic returns the Redact of a versión pública: it masks e-mail
// addresses (but an office's own, under gob.mx), telephone numbers and
// mentions of anyone who is neither an account of the archive's directory
// (official or personal, every name by which posts mention it) nor one of
// m.Public, each with the legal basis of m.Texts.
func RedactPublic(ctx context.Context, r archive.Reader, m Masking) (func(h *archive.Hit) (string, []Redaction), error) {
	accts, err := r.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	handles := append([]string(nil), m.Public...)
	for _, a := range accts {
		handles = append(handles, MentionNames(m.Networks, a.Network, a.Handle)...)
	}
	rd := redact.New(handles)
	texts := m.Texts
	if texts == nil {
		texts = &classifier.DefaultPolicy().Answer
	}
	rd.Bases = map[string]string{redact.KindEmail: texts.Masking.Email, redact.KindPhone: texts.Masking.Phone,
		redact.KindMention: texts.Masking.Mention}
	return RedactWith(rd), nil
}

// MentionNames are the names by which a post mentions the account of
// handle on network n: its network's Mention, and the handle as written.
func MentionNames(nets directory.Networks, n archive.Network, handle string) []string {
	names := []string{handle}
	if spec, ok := nets.Spec(n); ok && spec.Mention != nil {
		names = append(names, spec.Mention(handle)...)
	}
	return names
}

// ErrUnknownAccount reports an account a search names that is neither in
// the directory nor in the archive: its answer would be an empty package
// that looks valid. The error is an *UnknownAccountError.
var ErrUnknownAccount = errors.New("unknown account")

// UnknownAccountError names the account asked for and the closest one
// known, if any; its message is in Spanish, for the office.
type UnknownAccountError struct {
	Account string
	Closest string // "" when no known account is close
}

func (e *UnknownAccountError) Error() string {
	msg := fmt.Sprintf("la cuenta %q no está en el directorio ni en el archivo", e.Account)
	if e.Closest != "" {
		msg += fmt.Sprintf("; ¿quiso decir %q?", e.Closest)
	}
	return msg
}

func (e *UnknownAccountError) Unwrap() error { return ErrUnknownAccount }

// CheckAccount returns an *UnknownAccountError when id is neither the id
// of an account the archive recorded nor one of also (the directory's
// ids, when the caller has the directory); "" is every account. The
// suggestion is the closest id, or the id of an account whose handle is
// what was written.
func CheckAccount(ctx context.Context, r archive.Reader, id string, also []string) error {
	if id == "" || slices.Contains(also, id) {
		return nil
	}
	accts, err := r.Accounts(ctx)
	if err != nil {
		return err
	}
	ids := slices.Clone(also)
	for _, a := range accts {
		if a.ID == id {
			return nil
		}
		ids = append(ids, a.ID)
	}
	e := &UnknownAccountError{Account: id, Closest: suggest.Closest(id, ids)}
	if first, _, ok := strings.Cut(id, "-"); e.Closest == "" && ok {
		// "regidora-ana" for the only "regidora-…"
		var same []string
		for _, k := range ids {
			if strings.HasPrefix(k, first+"-") && !slices.Contains(same, k) {
				same = append(same, k)
			}
		}
		if len(same) == 1 {
			e.Closest = same[0]
		}
	}
	if e.Closest == "" {
		written := strings.ToLower(strings.TrimPrefix(id, "@"))
		for _, a := range accts {
			if h := strings.ToLower(strings.TrimPrefix(a.Handle, "@")); h == written || strings.HasPrefix(h, written+"@") {
				e.Closest = a.ID
				break
			}
		}
	}
	return e
}

// Owner says whose an account is, in Spanish, for the report: "Jorge
// Villaseñor, Director de Obras Públicas (cuenta personal registrada,
// @obras_jorge@social.example en Mastodon)", or for an official account
// "Dirección de Comunicación (cuenta oficial, …)"; the account id when the
// archive has no snapshot of it.
func Owner(a *archive.Account, id string, n archive.Network) string {
	if a == nil {
		return id + " (" + networkES(n) + ")"
	}
	var who []string
	for _, s := range []string{a.ServantName, a.ServantPosition} {
		if s != "" {
			who = append(who, s)
		}
	}
	if len(who) == 0 && a.Area != "" {
		who = append(who, a.Area)
	}
	if len(who) == 0 {
		who = append(who, a.ID)
	}
	kind := "cuenta personal registrada"
	if a.Type == "official" {
		kind = "cuenta oficial"
	}
	handle := a.Handle
	if handle == "" {
		handle = a.ID
	}
	return fmt.Sprintf("%s (%s, %s en %s)", strings.Join(who, ", "), kind, handle, networkES(a.Network))
}

// networkES names a network as people write it; a feed is "su canal RSS".
func networkES(n archive.Network) string {
	if n == archive.RSS {
		return "su canal RSS"
	}
	return spanish.Network(n)
}
