package views

import "net/url"

// hostOf is the host of a URL, shown beside links so a reader knows where they lead.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}
