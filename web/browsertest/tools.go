// Package browsertest checks the rendered site in a real browser and with the
// Nu HTML validator: a headless Chromium (through chromedp) runs axe-core,
// looks for console errors and horizontal scrolling on a phone-sized screen,
// and checks the keyboard focus order; vnu.jar checks that the HTML is valid.
//
// The tests find their tools as follows, and skip when one is missing, unless
// the environment variable CI is set, when they fail instead:
//
//   - Chromium: $CHROMIUM_PATH, else /usr/bin/chromium, else chromium on PATH.
//   - axe-core: $AXE_PATH, else axe.min.js in the npm folder below.
//   - vnu.jar: $VNU_JAR, else vnu.jar in the npm folder below; java from PATH.
//   - unfurl.js (a link-preview library that discovers and reads oEmbed,
//     as chat apps and CMSs do): $UNFURL_JS, else the package in the npm
//     folder below; node from PATH.
//
// The npm folder is os.UserCacheDir()/deai-scorecard/npm, the folder where
// .ci/run installs the pinned axe-core, vnu-jar and unfurl.js packages. Run .ci/run once,
// and `go test ./...` runs these checks too.
//
// With $SCREENSHOT_DIR set, the tests also save full-page screenshots there.
package browsertest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// NPMDir is the folder where .ci/run installs the npm tools:
// ${XDG_CACHE_HOME:-$HOME/.cache}/deai-scorecard/npm in bash terms.
func NPMDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(cache, "deai-scorecard", "npm"), nil
}

// ChromiumPath finds the Chromium binary.
func ChromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		if err := isFile(p); err != nil {
			return "", fmt.Errorf("CHROMIUM_PATH: %w", err)
		}
		return p, nil
	}
	if isFile("/usr/bin/chromium") == nil {
		return "/usr/bin/chromium", nil
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		return "", errors.New("no chromium: set CHROMIUM_PATH or install Debian's chromium")
	}
	return p, nil
}

// AxePath finds axe.min.js of axe-core.
func AxePath() (string, error) {
	return npmFile("AXE_PATH", "node_modules", "axe-core", "axe.min.js")
}

// VNUJar finds vnu.jar of the Nu HTML checker.
func VNUJar() (string, error) {
	return npmFile("VNU_JAR", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
}

// UnfurlJS finds the unfurl.js package folder (the one with its
// package.json).
func UnfurlJS() (string, error) {
	dir := os.Getenv("UNFURL_JS")
	if dir == "" {
		npm, err := NPMDir()
		if err != nil {
			return "", fmt.Errorf("UNFURL_JS is not set and there is no cache folder: %w", err)
		}
		dir = filepath.Join(npm, "node_modules", "unfurl.js")
	}
	if err := isFile(filepath.Join(dir, "package.json")); err != nil {
		return "", fmt.Errorf("no unfurl.js package in %s: %w (run .ci/run once to install it)", dir, err)
	}
	return dir, nil
}

// NodePath finds the node command that runs unfurl.js.
func NodePath() (string, error) {
	p, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("no node: install nodejs (npm brings it)")
	}
	return p, nil
}

// JavaPath finds the java command that runs vnu.jar.
func JavaPath() (string, error) {
	if isFile("/usr/bin/java") == nil {
		return "/usr/bin/java", nil
	}
	p, err := exec.LookPath("java")
	if err != nil {
		return "", errors.New("no java: install default-jre-headless")
	}
	return p, nil
}

// npmFile is $env when set, else the file under NPMDir.
func npmFile(env string, rel ...string) (string, error) {
	if p := os.Getenv(env); p != "" {
		if err := isFile(p); err != nil {
			return "", fmt.Errorf("%s: %w", env, err)
		}
		return p, nil
	}
	dir, err := NPMDir()
	if err != nil {
		return "", fmt.Errorf("%s is not set and there is no cache folder: %w", env, err)
	}
	p := filepath.Join(append([]string{dir}, rel...)...)
	if err := isFile(p); err != nil {
		return "", fmt.Errorf("%s is not set and %w (run .ci/run once to install it)", env, err)
	}
	return p, nil
}

func isFile(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory", p)
	}
	return nil
}

// Need stops the test when a tool is missing (err != nil): it skips on a
// developer's machine, and fails when the environment variable CI is set, so
// that CI cannot pass without running the checks.
func Need(t testing.TB, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing and CI is set: %v", what, err)
	}
	t.Skipf("%s is missing (set CI to make this fail): %v", what, err)
}
