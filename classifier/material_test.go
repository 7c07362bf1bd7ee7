package classifier

import "testing"

// TestShippedMaterialIsWhatTheModelLearnt checks that the embedded training
// material, which vigia classifier train --from-archive and curve train on,
// is the material the shipped model was trained on (go generate): the same
// number of posts of each label.
func TestShippedMaterialIsWhatTheModelLearnt(t *testing.T) {
	set, err := ShippedMaterial()
	if err != nil {
		t.Fatal(err)
	}
	var f, p int
	for _, x := range set.Examples {
		switch x.Label {
		case Function:
			f++
		case Personal:
			p++
		}
	}
	got, want := Training{Examples: len(set.Examples), Function: f, Personal: p}, DefaultModel().Training
	if got.Examples != want.Examples || got.Function != want.Function || got.Personal != want.Personal {
		t.Errorf("embedded material: %d posts (%d function, %d personal); the shipped model learnt from %d (%d function, %d personal)",
			got.Examples, got.Function, got.Personal, want.Examples, want.Function, want.Personal)
	}
}
