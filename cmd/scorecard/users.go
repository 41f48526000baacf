package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/deai-scorecard/scorecard/auth"
	"github.com/deai-scorecard/scorecard/domain"
)

// stdin is where "user add" reads the password; tests replace it.
var stdin io.Reader = os.Stdin

// maxPasswordLine bounds the line read from a pipe.
const maxPasswordLine = 4096

// userCommand is "scorecard user add --name NAME --role reviewer|admin".
// The password never appears on the command line: it is the first line of
// standard input, or, on a terminal, typed twice without echo.
func userCommand(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("user needs a subcommand: add")
	}
	sub, args := args[0], args[1:]
	if sub != "add" {
		return usagef("unknown user subcommand %q (add)", sub)
	}
	fs := newFlagSet("user add", stderr, cfg, false)
	var name, role string
	fs.StringVar(&name, "name", "", "user name")
	fs.StringVar(&role, "role", "", "reviewer or admin")
	if err := fs.Parse(args); err != nil {
		return flagError(err, stdout)
	}
	if fs.NArg() > 0 {
		return usagef("user add takes no arguments, got %q (the password is read from standard input)", fs.Arg(0))
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return usagef("user add needs --name")
	case len(name) > 64 || strings.ContainsAny(name, "\r\n\t"):
		return usagef("--name is 1 to 64 characters on one line")
	case role == "":
		return usagef("user add needs --role (reviewer or admin)")
	case role != string(domain.RoleReviewer) && role != string(domain.RoleAdmin):
		return usagef("--role %q is not reviewer or admin", role)
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	// Check the length here for a message that names the command; the hash
	// checks it too.
	if utf8.RuneCountInString(password) < auth.MinPasswordLen {
		return fmt.Errorf("nothing stored: a password needs at least %d characters", auth.MinPasswordLen)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return fmt.Errorf("nothing stored: %w", err)
	}
	db, err := openDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, name, domain.Role(role), hash)
	if err != nil {
		return fmt.Errorf("nothing stored: %s", domain.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "added %s %s (#%d)\n", u.Role, u.Name, u.ID)
	return nil
}

// readPassword reads the password: typed twice without echo when r is a
// terminal, else the first line of r (without its line ending).
func readPassword(r io.Reader, prompt io.Writer) (string, error) {
	if f, ok := r.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		fmt.Fprint(prompt, "Password: ")
		first, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("cannot read the password: %w", err)
		}
		fmt.Fprint(prompt, "Password again: ")
		second, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("cannot read the password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("nothing stored: the two passwords differ")
		}
		return string(first), nil
	}
	br := bufio.NewReaderSize(io.LimitReader(r, maxPasswordLine+1), maxPasswordLine+1)
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("cannot read the password from standard input: %w", err)
	}
	if len(line) > maxPasswordLine {
		return "", fmt.Errorf("nothing stored: the password line is longer than %d bytes", maxPasswordLine)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("nothing stored: no password on standard input (give it as the first line)")
	}
	return line, nil
}
