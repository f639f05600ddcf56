//! Organisations: the services that run surveys. Administrators add them and
//! say which area each works in, which decides the commissioners who see it.

use crate::areas::Area;
use crate::components::{
    load_page, FieldErrors, FormMessage, FormState, SelectField, StaffLayout, TextField,
};
use crate::error::AppError;
use crate::forms::FormValues;

crate::form_actions! {
    /// What a post to /staff/organisations asks for.
    pub enum OrganisationAction {
        Add = "add",
        /// Say which area an organisation works in.
        Area = "area",
    }
}
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// An organisation that runs services and surveys.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    /// One of [`KINDS`].
    pub kind: String,
    pub area_code: Option<String>,
}

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod store;

pub const ADD_FORM: &str = "organisation-add";
pub const AREA_FORM: &str = "organisation-area";
pub const NAME_LIMIT: usize = 120;

/// The kinds of organisation, by key, with the words staff read.
pub const KINDS: [(&str, &str); 6] = [
    ("youth_service", "Youth service"),
    ("school", "School or college"),
    ("health", "Health service"),
    ("charity", "Charity or community group"),
    ("council", "Council service"),
    ("other", "Other"),
];

pub fn kind_label(key: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("Other", |(_, label)| label)
}

/// A new organisation, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: &'static str,
    pub area_code: Option<String>,
}

/// The area chosen in `form`: none, or one of the offered `areas`.
pub fn check_area(form: &FormValues, areas: &[String]) -> Result<Option<String>, String> {
    match form.value("area") {
        None => Ok(None),
        Some(a) if areas.iter().any(|x| x == a) => Ok(Some(a.to_string())),
        Some(_) => Err("Choose an area from the list, or none.".into()),
    }
}

/// Checks the "add an organisation" form. Errors are `(field, message)`.
pub fn check_new_organisation(
    form: &FormValues,
    areas: &[String],
) -> Result<NewOrganisation, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let name = crate::text::clean_line(form.raw("name"));
    if name.is_empty() || name.chars().count() > NAME_LIMIT {
        problems.push((
            "name".into(),
            format!("Give the organisation a name of up to {NAME_LIMIT} characters."),
        ));
    }
    let kind = form
        .value("kind")
        .and_then(|k| KINDS.iter().find(|(key, _)| *key == k))
        .map(|(key, _)| *key);
    if kind.is_none() {
        problems.push((
            "kind".into(),
            "Choose what kind of organisation it is.".into(),
        ));
    }
    let area = check_area(form, areas).map_err(|m| problems.push(("area".into(), m)));
    match (kind, area) {
        (Some(kind), Ok(area_code)) if problems.is_empty() => Ok(NewOrganisation {
            name,
            kind,
            area_code,
        }),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationsData {
    pub organisations: Vec<Organisation>,
    pub areas: Vec<Area>,
}

#[server]
pub async fn load_organisations() -> Result<OrganisationsData, AppError> {
    let me = crate::accounts::viewer::require_staff()?;
    if !me.may_manage_organisations() {
        return Err(AppError::Forbidden);
    }
    let db = &crate::state::app_state()?.db;
    Ok(OrganisationsData {
        organisations: store::organisations(db).await?,
        areas: crate::areas::store::all(db).await?,
    })
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let add = FormState::for_form(ADD_FORM);
    let area = FormState::for_form(AREA_FORM).summary();
    view! {
        <Title text="Organisations"/>
        <StaffLayout>
            {load_page(load_organisations, move |d| view! {
                <OrganisationsView data=d add=add.clone() area=area.clone()/>
            })}
        </StaffLayout>
    }
}

#[component]
fn OrganisationsView(
    data: OrganisationsData,
    add: FormState,
    area: Option<String>,
) -> impl IntoView {
    let chosen_area = Some(add.value("area")).filter(|a| !a.trim().is_empty());
    let kinds = KINDS
        .iter()
        .map(|(key, label)| {
            let selected = add.chosen("kind", key);
            view! { <option value=*key selected=selected>{*label}</option> }
        })
        .collect_view();
    let area_name = |code: &Option<String>| {
        code.as_ref().map(|c| {
            data.areas
                .iter()
                .find(|a| &a.code == c)
                .map_or(c.clone(), |a| a.name.clone())
        })
    };
    let area_choices = crate::areas::area_options(&data.areas, chosen_area.as_deref());
    let new_area_choices = crate::areas::area_options(&data.areas, None);
    let count = data.organisations.len();
    let which = data
        .organisations
        .iter()
        .map(|o| view! { <option value=o.id.to_string()>{o.name.clone()}</option> })
        .collect_view();
    let cards = data
        .organisations
        .iter()
        .map(|o| {
            let works_in = area_name(&o.area_code)
                .map_or("No area yet: no commissioner sees it".to_string(), |a| {
                    format!("Works in {a}")
                });
            view! {
                <li class="card">
                    <h3>{o.name.clone()}</h3>
                    <p class="meta">{kind_label(&o.kind)}</p>
                    <p>{works_in}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>"Organisations"</h1>
        <p>"The services that run surveys. Commissioners see the organisations that work in their areas."</p>
        <FormMessage message=area/>
        <FieldErrors feedback=add.feedback() prefix="organisation"/>
        <section aria-labelledby="organisation-add-heading">
            <h2 id="organisation-add-heading">"Add an organisation"</h2>
            <form method="post" action="/staff/organisations" class="stack">
                <input type="hidden" name="action" value=OrganisationAction::Add.key()/>
                <TextField id="organisation-name" name="name" label="Name" autocomplete="off" value=add.value("name") error=add.error("name")/>
                <SelectField id="organisation-kind" name="kind" label="Kind" error=add.error("kind")>{kinds}</SelectField>
                <SelectField id="organisation-area" name="area" label="Area it works in" error=add.error("area")>
                    {area_choices}
                </SelectField>
                <button type="submit" class="button">"Add organisation"</button>
            </form>
        </section>
        {(count > 0).then(|| view! {
            <section aria-labelledby="organisation-area-heading">
                <h2 id="organisation-area-heading">"Change where an organisation works"</h2>
                <form method="post" action="/staff/organisations" class="stack">
                    <input type="hidden" name="action" value=OrganisationAction::Area.key()/>
                    <SelectField id="organisation-which" name="organisation_id" label="Organisation">{which}</SelectField>
                    <SelectField id="organisation-new-area" name="area" label="New area">
                        {new_area_choices}
                    </SelectField>
                    <button type="submit" class="button secondary">"Save area"</button>
                </form>
            </section>
        })}
        <h2>{format!("{count} {}", if count == 1 { "organisation" } else { "organisations" })}</h2>
        <ul class="cards">{cards}</ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormValues {
        FormValues::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn a_new_organisation_needs_a_name_and_a_kind_and_may_have_an_area() {
        let areas = ["E08000025".to_string()];
        let ok = check_new_organisation(
            &form(&[
                ("name", " Riverside Youth Club "),
                ("kind", "charity"),
                ("area", "E08000025"),
            ]),
            &areas,
        )
        .unwrap();
        assert_eq!(ok.name, "Riverside Youth Club");
        assert_eq!(ok.kind, "charity");
        assert_eq!(ok.area_code.as_deref(), Some("E08000025"));
        let no_area = check_new_organisation(
            &form(&[("name", "Club"), ("kind", "other"), ("area", "")]),
            &areas,
        )
        .unwrap();
        assert_eq!(no_area.area_code, None);
        let fields: Vec<String> = check_new_organisation(
            &form(&[("name", ""), ("kind", "pirates"), ("area", "E99999999")]),
            &areas,
        )
        .unwrap_err()
        .into_iter()
        .map(|(f, _)| f)
        .collect();
        assert_eq!(fields, ["name", "kind", "area"]);
        let long = "x".repeat(NAME_LIMIT + 1);
        assert!(
            check_new_organisation(&form(&[("name", &long), ("kind", "other")]), &areas).is_err()
        );
    }

    #[test]
    fn every_kind_has_words() {
        for (key, label) in KINDS {
            assert_eq!(kind_label(key), label);
        }
        assert_eq!(kind_label("unknown"), "Other");
    }
}
