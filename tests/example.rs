//! The bundled example handbook at the repository root is valid and shows
//! every field of the file format (SPEC section 2), so that a new user sees
//! each feature in action.

use cxbook::Project;
use cxbook::model::{Evidence, MapState};
use std::path::Path;

fn example() -> Project {
    Project::load(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the example loads")
}

#[test]
fn the_example_has_no_errors() {
    let p = example();
    let errors: Vec<_> = p.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(p.handbook.maps.len() >= 4);
    assert!(p.handbook.personas.len() >= 2);
    assert!(
        p.handbook.pages.iter().any(|pg| !pg.id.ends_with("_index")),
        "a plain page"
    );
}

#[test]
fn the_example_speaks_english_and_both_chinese_scripts() {
    let p = example();
    let titles: Vec<&str> = p.handbook.maps.iter().map(|m| m.title.as_str()).collect();
    // Characters only one of the two Chinese scripts uses.
    assert!(
        titles
            .iter()
            .any(|t| t.contains('開') || t.contains('帳') || t.contains('戶')),
        "Traditional: {titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.contains('带') || t.contains('报') || t.contains('修')),
        "Simplified: {titles:?}"
    );
    assert!(titles.iter().any(|t| t.is_ascii()), "English: {titles:?}");
}

#[test]
fn the_example_uses_every_field_of_the_format() {
    let p = example();
    let maps = &p.handbook.maps;
    let tps: Vec<_> = maps.iter().flat_map(|m| m.touchpoints()).collect();
    let future = maps
        .iter()
        .find(|m| m.state == MapState::Future)
        .expect("a future-state map");
    let compared = future.compare.as_deref().expect("the future map compares");
    assert_eq!(
        p.handbook.map(compared).map(|m| m.state),
        Some(MapState::Current)
    );
    assert!(maps.iter().any(|m| m.persona.is_some()));
    assert!(maps.iter().any(|m| m.owner.is_some()));
    assert!(maps.iter().any(|m| m.reviewed.is_some()));
    assert!(maps.iter().any(|m| !m.tags.is_empty()));
    assert!(maps.iter().any(|m| m.weight.is_some()));
    assert!(maps.iter().any(|m| m.lanes.is_some()));
    assert!(
        maps.iter().any(|m| m.scale != p.config.scale()),
        "a map with its own scale"
    );
    assert!(maps.iter().any(|m| !m.extra.is_null()));
    assert!(
        maps.iter()
            .flat_map(|m| &m.stages)
            .any(|s| s.description.is_some())
    );
    assert!(
        tps.iter()
            .any(|t| t.channel.is_some() && t.action.is_some() && t.thought.is_some())
    );
    assert!(tps.iter().any(|t| t.emotion.is_none()), "a gap in a curve");
    assert!(tps.iter().any(|t| t.moment_of_truth));
    for e in [Evidence::Research, Evidence::Partial, Evidence::Assumption] {
        assert!(tps.iter().any(|t| t.evidence == Some(e)), "{e:?}");
    }
    let pains: Vec<_> = tps.iter().flat_map(|t| &t.pains).collect();
    assert!(
        pains
            .iter()
            .any(|x| x.kind.is_some() && x.severity.is_some()),
        "long-form pain"
    );
    assert!(pains.iter().any(|x| x.kind.is_none()), "short pain");
    let opps: Vec<_> = tps.iter().flat_map(|t| &t.opportunities).collect();
    assert!(
        opps.iter()
            .any(|o| o.priority.is_some() && o.status.is_some() && o.due.is_some()),
        "long-form opportunity"
    );
    assert!(opps.iter().any(|o| o.status.is_none()), "short opportunity");
    let metrics: Vec<_> = tps.iter().flat_map(|t| &t.metrics).collect();
    assert!(
        metrics
            .iter()
            .any(|m| m.target.is_some() && m.previous.is_some() && m.unit.is_some())
    );
    assert!(metrics.iter().any(|m| m.target.is_none()));
    let persona = &p.handbook.personas[0];
    assert!(
        persona.role.is_some()
            && persona.quote.is_some()
            && !persona.goals.is_empty()
            && !persona.frustrations.is_empty()
    );
}
