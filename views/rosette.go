package views

import (
	"fmt"
	"math"
	"strings"
)

// Rosette is the geometry of the seven-axis chart: one slice per axis whose
// radius grows with the level; unknown axes are drawn full-size and hatched
// so they never pass for a low score.
type Rosette struct {
	Title  string
	Desc   string
	Rings  []float64
	Spokes []Line
	Slices []RosetteSlice
}

// Line is a spoke from the centre.
type Line struct{ X1, Y1, X2, Y2 string }

// RosetteSlice is one axis's wedge and label.
type RosetteSlice struct {
	Key    string
	Title  string
	Level  Level
	Path   string
	LabelX string
	LabelY string
	Anchor string
}

const (
	rosetteCX, rosetteCY = 230.0, 170.0
	rosetteR             = 118.0
)

// Class colours a slice by level.
func (s RosetteSlice) Class() string {
	if !s.Level.Known {
		return "rs rs-u"
	}
	return "rs rs-" + itoa(s.Level.N)
}

// Fill is the slice's fill attribute: a hatch for unknown, else CSS decides.
func (s RosetteSlice) Fill() string {
	if !s.Level.Known {
		return "url(#hatch)"
	}
	return ""
}

func f1(v float64) string { return fmt.Sprintf("%.1f", v) }

// NewRosette lays out a rosette for a project's levels, in axis order,
// starting at the top and going clockwise.
func NewRosette(name string, levels []AxisLevel) Rosette {
	r := Rosette{Title: name + ": levels on the seven axes"}
	n := len(levels)
	if n == 0 {
		return r
	}
	for k := 1; k <= 5; k++ {
		r.Rings = append(r.Rings, rosetteR*float64(k)/5)
	}
	step := 2 * math.Pi / float64(n)
	var desc []string
	for i, al := range levels {
		mid := -math.Pi/2 + float64(i)*step
		a0, a1 := mid-step/2, mid+step/2
		radius := rosetteR
		if al.Level.Known {
			radius = rosetteR * float64(al.Level.N+1) / 5
		}
		x0, y0 := rosetteCX+radius*math.Cos(a0), rosetteCY+radius*math.Sin(a0)
		x1, y1 := rosetteCX+radius*math.Cos(a1), rosetteCY+radius*math.Sin(a1)
		path := fmt.Sprintf("M%s %sL%s %sA%s %s 0 0 1 %s %sZ", f1(rosetteCX), f1(rosetteCY), f1(x0), f1(y0), f1(radius), f1(radius), f1(x1), f1(y1))
		sx, sy := rosetteCX+rosetteR*math.Cos(a0), rosetteCY+rosetteR*math.Sin(a0)
		r.Spokes = append(r.Spokes, Line{f1(rosetteCX), f1(rosetteCY), f1(sx), f1(sy)})
		lx, ly := rosetteCX+(rosetteR+18)*math.Cos(mid), rosetteCY+(rosetteR+18)*math.Sin(mid)
		anchor := "middle"
		switch c := math.Cos(mid); {
		case c > 0.2:
			anchor = "start"
		case c < -0.2:
			anchor = "end"
		}
		if s := math.Sin(mid); s > 0.5 {
			ly += 10
		} else if s > -0.5 {
			ly += 4
		}
		r.Slices = append(r.Slices, RosetteSlice{Key: al.Key, Title: al.Title, Level: al.Level, Path: path,
			LabelX: f1(lx), LabelY: f1(ly), Anchor: anchor})
		desc = append(desc, al.Title+" "+al.Level.Text())
	}
	r.Desc = strings.Join(desc, "; ") + "."
	return r
}

// RingR formats a ring radius.
func RingR(v float64) string { return f1(v) }

// CX and CY are the centre.
func CX() string { return f1(rosetteCX) }
func CY() string { return f1(rosetteCY) }
