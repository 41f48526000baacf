package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/deai-scorecard/scorecard/auth"
	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/store"
)

// runWithStdin is runCmd with standard input.
func runWithStdin(t *testing.T, input string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	old := stdin
	stdin = strings.NewReader(input)
	defer func() { stdin = old }()
	return runCmd(t, nil, args...)
}

func lookupUser(t *testing.T, dbPath, name string) (domain.User, error) {
	t.Helper()
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return db.UserByName(context.Background(), name)
}

func TestUserAdd(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "u.db")
	const pw = "correct horse battery staple"
	out, errOut, err := runWithStdin(t, pw+"\n", "--db", dbPath, "user", "add", "--name", "alice", "--role", "reviewer")
	if err != nil {
		t.Fatalf("user add: %v (stderr %q)", err, errOut)
	}
	if !strings.Contains(out, "added reviewer alice") {
		t.Errorf("stdout %q", out)
	}
	if strings.Contains(out+errOut, pw) {
		t.Error("the password was echoed")
	}
	u, err := lookupUser(t, dbPath, "ALICE") // names are case-insensitive
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != domain.RoleReviewer || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Errorf("stored %+v", u)
	}
	if !auth.CheckPassword(u.PasswordHash, pw) || auth.CheckPassword(u.PasswordHash, pw+"x") {
		t.Error("stored hash does not check the password")
	}

	// Windows line ending, no trailing newline, --db after the command.
	if _, errOut, err := runWithStdin(t, "another long password\r\n", "user", "add", "--db", dbPath, "--name", "Bob Admin", "--role", "admin"); err != nil {
		t.Fatalf("second user: %v %q", err, errOut)
	}
	if u, err := lookupUser(t, dbPath, "bob admin"); err != nil || u.Role != domain.RoleAdmin || !auth.CheckPassword(u.PasswordHash, "another long password") {
		t.Errorf("bob: %+v %v", u, err)
	}
	if _, _, err := runWithStdin(t, "no newline at the end", "--db", dbPath, "user", "add", "--name", "carol", "--role", "admin"); err != nil {
		t.Fatalf("password without newline: %v", err)
	}
}

func TestUserAddErrors(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "u.db")
	if _, _, err := runWithStdin(t, "first password here\n", "--db", dbPath, "user", "add", "--name", "alice", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, input string
		args        []string
		usage       bool
		want        string
	}{
		{"no subcommand", "", []string{"user"}, true, "subcommand"},
		{"unknown subcommand", "", []string{"user", "delete"}, true, `"delete"`},
		{"no name", "long enough password\n", []string{"user", "add", "--role", "admin"}, true, "--name"},
		{"no role", "long enough password\n", []string{"user", "add", "--name", "x"}, true, "--role"},
		{"bad role", "long enough password\n", []string{"user", "add", "--name", "x", "--role", "root"}, true, `"root"`},
		{"password as argument", "", []string{"user", "add", "--name", "x", "--role", "admin", "hunter2hunter2"}, true, "standard input"},
		{"password flag", "", []string{"user", "add", "--name", "x", "--role", "admin", "--password", "hunter2hunter2"}, true, "password"},
		{"name too long", "long enough password\n", []string{"user", "add", "--name", strings.Repeat("n", 65), "--role", "admin"}, true, "--name"},
		{"short password", "short\n", []string{"user", "add", "--name", "x", "--role", "admin"}, false, "at least 12"},
		{"empty stdin", "", []string{"user", "add", "--name", "x", "--role", "admin"}, false, "no password"},
		{"empty first line", "\nlong enough password\n", []string{"user", "add", "--name", "x", "--role", "admin"}, false, "no password"},
		{"too long password", strings.Repeat("p", 1025) + "\n", []string{"user", "add", "--name", "x", "--role", "admin"}, false, "1024"},
		{"duplicate name", "long enough password\n", []string{"user", "add", "--name", "Alice", "--role", "reviewer"}, false, "already exists"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runWithStdin(t, c.input, append([]string{"--db", dbPath}, c.args...)...)
			if err == nil {
				t.Fatal("no error")
			}
			if isUsage(err) != c.usage {
				t.Errorf("usage error = %v, want %v (%v)", isUsage(err), c.usage, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line containing %q", msg, c.want)
			}
		})
	}
	// Nothing stored but alice.
	if _, err := lookupUser(t, dbPath, "x"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("user x stored: %v", err)
	}
	if u, err := lookupUser(t, dbPath, "alice"); err != nil || u.Role != domain.RoleAdmin {
		t.Errorf("alice changed: %+v %v", u, err)
	}
	// A usage error does not even create the database.
	fresh := filepath.Join(dir, "fresh.db")
	if _, _, err := runWithStdin(t, "long enough password\n", "--db", fresh, "user", "add", "--name", "x", "--role", "root"); err == nil {
		t.Fatal("bad role accepted")
	}
	if _, err := os.Stat(fresh); err == nil {
		t.Error("a usage error created the database file")
	}
}

// The built binary reads the password from a pipe and reports errors in
// one line with a non-zero exit.
func TestBinaryUserAdd(t *testing.T) {
	bin := binary(t)
	dbPath := filepath.Join(t.TempDir(), "u.db")
	runBin := func(input string, args ...string) (int, string, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"--db", dbPath}, args...)...)
		cmd.Env = childEnv()
		cmd.Stdin = strings.NewReader(input)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode(), out.String(), errb.String()
	}
	code, out, errOut := runBin("a long enough password\n", "user", "add", "--name", "dana", "--role", "reviewer")
	if code != 0 || !strings.Contains(out, "added reviewer dana") || errOut != "" {
		t.Fatalf("add: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, c := range []struct {
		input string
		args  []string
		code  int
		want  string
	}{
		{"a long enough password\n", []string{"user", "add", "--name", "dana", "--role", "admin"}, 1, "already exists"},
		{"short\n", []string{"user", "add", "--name", "erin", "--role", "admin"}, 1, "at least 12"},
		{"a long enough password\n", []string{"user", "add", "--name", "erin", "--role", "owner"}, 2, `"owner"`},
	} {
		code, _, errOut := runBin(c.input, c.args...)
		if code != c.code || !strings.HasPrefix(errOut, "scorecard: ") || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: code %d (want %d), stderr %q (want one line with %q)", c.args, code, c.code, errOut, c.want)
		}
	}
	if _, err := lookupUser(t, dbPath, "erin"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("erin stored: %v", err)
	}
}

// On a terminal the password is typed twice without echo; script(1) from
// util-linux gives the binary one.
func TestBinaryUserAddOnATerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil || runtime.GOOS != "linux" {
		t.Skip("needs util-linux script(1) to provide a terminal")
	}
	bin := binary(t)
	dbPath := filepath.Join(t.TempDir(), "u.db")
	typed := func(name, input string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, script, "-q", "-e", "-c", bin+" --db "+dbPath+" user add --role admin --name "+name, os.DevNull)
		cmd.Env = childEnv()
		cmd.Stdin = strings.NewReader(input)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := typed("tess", "typed on a tty\ntyped on a tty\n")
	if err != nil || !strings.Contains(out, "Password: ") || !strings.Contains(out, "Password again: ") || !strings.Contains(out, "added admin tess") {
		t.Fatalf("terminal: %v\n%s", err, out)
	}
	if u, err := lookupUser(t, dbPath, "tess"); err != nil || !auth.CheckPassword(u.PasswordHash, "typed on a tty") {
		t.Errorf("tess: %+v %v", u, err)
	}
	out, err = typed("tom", "typed on a tty\ntyped differently\n")
	if err == nil || !strings.Contains(out, "the two passwords differ") {
		t.Errorf("mismatch: %v\n%s", err, out)
	}
	if _, err := lookupUser(t, dbPath, "tom"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("tom stored: %v", err)
	}
}
