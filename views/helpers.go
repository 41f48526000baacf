package views

import (
	"net/url"
	"strconv"
)

// hostOf is the host of a URL, shown beside links so a reader knows where they lead.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}

// axisShort abbreviates an axis title for narrow screens.
func axisShort(key string) string {
	switch key {
	case "training":
		return "Train"
	case "inference":
		return "Infer"
	case "governance":
		return "Gov"
	case "verification":
		return "Verif"
	case "upgrades":
		return "Upgr"
	}
	return key
}

func u64(n uint64) string { return strconv.FormatUint(n, 10) }

// orNone shows an absent fact value.
func orNone(s string) string {
	if s == "" {
		return "(absent)"
	}
	return s
}
