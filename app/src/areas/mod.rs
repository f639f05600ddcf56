//! Areas: England's upper-tier local authorities, by ONS code. Shipped as
//! data and seeded on first start; administrators add, rename and retire them.

use crate::components::{load_page, FormMessage, StaffLayout, TextField};
use crate::error::AppError;
use crate::forms::Feedback;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod store;

pub const NAME_LIMIT: usize = 100;

crate::form_actions! {
    /// What a post to /staff/areas asks for.
    pub enum AreaAction {
        /// Add an area, or rename one.
        Save = "save",
        /// Stop offering it to young people.
        Retire = "retire",
        Restore = "restore",
    }
}

/// An ONS code for an upper-tier authority in England: E06 (unitary), E08
/// (metropolitan district), E09 (London borough) or E10 (county), then six digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaCode(String);

impl AreaCode {
    pub fn parse(s: &str) -> Result<AreaCode, String> {
        let s = s.trim().to_uppercase();
        let ok = s.len() == 9
            && ["E06", "E08", "E09", "E10"]
                .iter()
                .any(|p| s.starts_with(p))
            && s[3..].chars().all(|c| c.is_ascii_digit());
        if ok {
            Ok(AreaCode(s))
        } else {
            Err(
                "An area code is E06, E08, E09 or E10 followed by six digits, like E09000001."
                    .into(),
            )
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub active: bool,
}

/// Reads the shipped `code,name` list (names may be quoted when they hold commas).
pub fn parse_seed(csv: &str) -> Vec<(AreaCode, String)> {
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let (code, name) = line.split_once(',')?;
            let name = name.trim().trim_matches('"').to_string();
            Some((AreaCode::parse(code).ok()?, name))
        })
        .collect()
}

/// `<option>`s for an area select: none, then every area offered (and the
/// selected one even if retired, so it still shows).
pub fn area_options(areas: &[Area], selected: Option<&str>) -> impl IntoView {
    let none = view! { <option value="" selected=selected.is_none()>"None"</option> };
    let options = areas
        .iter()
        .filter(|a| a.active || selected == Some(a.code.as_str()))
        .map(|a| {
            let is = selected == Some(a.code.as_str());
            view! { <option value=a.code.clone() selected=is>{a.name.clone()}</option> }
        })
        .collect_view();
    (none, options)
}

#[server]
pub async fn areas_for_admin() -> Result<Vec<Area>, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    if !user.may_edit_areas() {
        return Err(AppError::Forbidden);
    }
    store::all(&crate::state::app_state()?.db).await
}

#[component]
pub fn AreasPage() -> impl IntoView {
    let feedback = Feedback::for_form("areas");
    let message = feedback.as_ref().and_then(|f| f.summary.clone());
    let (code, name) = feedback
        .as_ref()
        .map(|f| {
            (
                f.values.raw("code").to_string(),
                f.values.raw("name").to_string(),
            )
        })
        .unwrap_or_default();
    view! {
        <Title text="Areas"/>
        <StaffLayout>
            {load_page(areas_for_admin, move |list: Vec<Area>| {
                let (message, code, name) = (message.clone(), code.clone(), name.clone());
                view! {
                            <h1>"Areas"</h1>
                            <p>"Young people choose their area from this list. Retired areas are no longer offered but stay on past answers."</p>
                            <FormMessage message=message.clone()/>
                            <h2>"Add or rename an area"</h2>
                            <form method="post" action="/staff/areas" class="stack">
                                <input type="hidden" name="action" value=AreaAction::Save.key()/>
                                <TextField id="area-code" name="code" label="ONS code" value=code.clone() autocomplete="off"/>
                                <TextField id="area-name" name="name" label="Name" value=name.clone() autocomplete="off"/>
                                <button class="button" type="submit">"Save area"</button>
                            </form>
                            <h2>{format!("{} areas", list.len())}</h2>
                            <table class="data">
                                <thead><tr><th scope="col">"Area and ONS code"</th><th scope="col">"Offered to young people"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|a| {
                                view! {
                                    <tr>
                                        <td>{a.name.clone()}<br/><span class="meta">{a.code.clone()}</span></td>
                                        <td>
                                            {if a.active { "Yes" } else { "No" }}" "
                                            <form method="post" action="/staff/areas" class="inline">
                                                <input type="hidden" name="action" value=if a.active { AreaAction::Retire } else { AreaAction::Restore }.key()/>
                                                <input type="hidden" name="code" value=a.code.clone()/>
                                                <button type="submit" class="link-button">
                                                    {if a.active { "Retire" } else { "Offer again" }}
                                                    <span class="visually-hidden">" "{a.name.clone()}</span>
                                                </button>
                                            </form>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                                </tbody>
                            </table>
                        }
            })}
        </StaffLayout>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_codes_are_english_upper_tier_only() {
        assert_eq!(
            AreaCode::parse(" e09000001 ").unwrap().as_str(),
            "E09000001"
        );
        assert!(
            AreaCode::parse("E07000001").is_err(),
            "districts are lower tier"
        );
        assert!(
            AreaCode::parse("W06000001").is_err(),
            "Wales is not England"
        );
        assert!(AreaCode::parse("E0900000").is_err());
    }

    #[test]
    fn the_seed_list_parses_quoted_names() {
        let rows =
            parse_seed("code,name\nE06000058,\"Bournemouth, Christchurch and Poole\"\nX,bad\n");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].1, "Bournemouth, Christchurch and Poole");
    }
}
