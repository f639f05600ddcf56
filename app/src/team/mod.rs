//! Team: who can sign in for an organisation. Organisation administrators add
//! colleagues (who get a one-time password, shown once, to replace at first
//! sign-in), give out a new one-time password when one is forgotten, and
//! remove or give back access. Administrators do the same for everyone,
//! commissioners included.

use crate::accounts::{Email, Role, StaffUser};
use crate::areas::Area;
use crate::components::{
    load_page, FieldErrors, FormMessage, FormState, Pager, SelectField, StaffLayout, TextField,
};
use crate::error::AppError;
use crate::forms::{Feedback, FormValues};
use crate::organisations::Organisation;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod store;

crate::form_actions! {
    /// What a post to /staff/team asks for.
    pub enum TeamAction {
        Add = "add",
        /// A new one-time password.
        Reset = "reset",
        Remove = "remove",
        Restore = "restore",
    }
}

pub const ADD_FORM: &str = "team-add";
pub const MEMBER_FORM: &str = "team-member";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub organisation: Option<String>,
    pub areas: Vec<String>,
    /// Holds a one-time password they have not yet replaced.
    pub waiting_for_first_sign_in: bool,
    pub access_removed: bool,
}

impl TeamMember {
    pub fn access(&self) -> &'static str {
        if self.access_removed {
            "Access removed"
        } else if self.waiting_for_first_sign_in {
            "Waiting for first sign-in"
        } else {
            "Can sign in"
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamData {
    pub me: StaffUser,
    pub members: Vec<TeamMember>,
    /// Administrators choose a new colleague's organisation (and a commissioner's area).
    pub organisations: Vec<Organisation>,
    pub areas: Vec<Area>,
    /// This page of the list (from 0), and whether there are later ones.
    pub page: i64,
    pub more: bool,
}

/// A one-time password just made, shown on this response only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub email: String,
    pub password: String,
}

/// A colleague to add, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub email: Email,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub areas: Vec<String>,
}

/// Checks the "add a colleague" form for `manager`. Organisation administrators
/// add to their own organisation; administrators choose one (among
/// `organisations`) for roles that belong to one, and an area (among the
/// offered `areas`) for commissioners. Errors are `(field, message)`.
pub fn check_new_member(
    form: &FormValues,
    manager: &StaffUser,
    organisations: &[i64],
    areas: &[String],
) -> Result<NewMember, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let email = Email::parse(form.raw("email")).map_err(|m| problems.push(("email".into(), m)));
    let role = form
        .value("role")
        .and_then(Role::parse)
        .filter(|r| manager.roles_they_may_add().contains(r));
    if role.is_none() {
        problems.push(("role".into(), "Choose what they will do.".into()));
    }
    let organisation_id = match (manager.role, role) {
        (Role::Admin, Some(r)) if r.needs_organisation() => {
            let chosen = form
                .value("organisation_id")
                .and_then(|o| o.parse::<i64>().ok())
                .filter(|o| organisations.contains(o));
            if chosen.is_none() {
                problems.push((
                    "organisation_id".into(),
                    "Choose the organisation they work for.".into(),
                ));
            }
            chosen
        }
        (Role::Admin, _) => None,
        _ => manager.organisation_id,
    };
    let mut member_areas = Vec::new();
    if role == Some(Role::Commissioner) {
        match form.value("area").filter(|a| areas.iter().any(|x| x == a)) {
            Some(a) => member_areas.push(a.to_string()),
            None => problems.push((
                "area".into(),
                "Choose the area a commissioner looks after.".into(),
            )),
        }
    }
    match (email, role) {
        (Ok(email), Some(role)) if problems.is_empty() => Ok(NewMember {
            email,
            role,
            organisation_id,
            areas: member_areas,
        }),
        _ => Err(problems),
    }
}

/// Accounts on one page of the team list.
pub const PER_PAGE: i64 = 50;

#[server]
pub async fn load_team(page: Option<i64>) -> Result<TeamData, AppError> {
    let me = crate::accounts::viewer::require_staff()?;
    if !me.may_manage_team() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    let db = &state.db;
    let page = crate::paging::Page::new(page, PER_PAGE);
    let admin = me.role == Role::Admin;
    let scope = if admin { None } else { me.organisation_id };
    let (members, more) = store::team(db, scope, page).await?;
    Ok(TeamData {
        members,
        organisations: if admin {
            crate::organisations::store::organisations(db).await?
        } else {
            vec![]
        },
        areas: if admin {
            crate::areas::store::active(db).await?
        } else {
            vec![]
        },
        me,
        page: page.index,
        more,
    })
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let add = FormState::for_form(ADD_FORM);
    let member = Feedback::for_form(MEMBER_FORM).and_then(|f| f.summary);
    let issued = use_context::<Issued>();
    let page = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<i64>().ok());
    view! {
        <Title text="Team"/>
        <StaffLayout>
            {load_page(move || load_team(page), move |d| view! {
                <TeamView data=d add=add.clone() member=member.clone() issued=issued.clone()/>
            })}
        </StaffLayout>
    }
}

#[component]
fn TeamView(
    data: TeamData,
    add: FormState,
    member: Option<String>,
    issued: Option<Issued>,
) -> impl IntoView {
    let me = data.me;
    let is_admin = me.role == Role::Admin;
    let intro = match &me.organisation {
        Some(org) if !is_admin => format!("Who can sign in for {org}."),
        _ => "Everyone who can sign in to heard.".to_string(),
    };
    let issued = issued.map(|i| {
        let lifetime = format!(
            "Give it to them in person or by phone, not by email. It is shown only now, works until they sign in (for {} days at most), and then they choose their own.",
            crate::accounts::ONE_TIME_DAYS
        );
        view! {
            <div class="panel" role="status" id="issued">
                <h2>{format!("One-time password for {}", i.email)}</h2>
                <p class="one-time-password"><code>{i.password}</code></p>
                <p>{lifetime}</p>
            </div>
        }
    });
    let roles = me
        .roles_they_may_add()
        .into_iter()
        .map(|r| {
            let selected = add.chosen("role", r.key());
            view! { <option value=r.key() selected=selected>{r.label()}</option> }
        })
        .collect_view();
    let organisation_field = is_admin.then(|| {
        let options = data
            .organisations
            .iter()
            .map(|o| {
                let selected = add.chosen("organisation_id", &o.id.to_string());
                view! { <option value=o.id.to_string() selected=selected>{o.name.clone()}</option> }
            })
            .collect_view();
        view! {
            <SelectField
                id="team-organisation-id"
                name="organisation_id"
                label="Organisation"
                hint="For organisation administrators, youth workers and safeguarding leads."
                error=add.error("organisation_id")
            >
                <option value="">"None"</option>
                {options}
            </SelectField>
        }
    });
    let chosen_area = Some(add.value("area")).filter(|a| !a.trim().is_empty());
    let area_field = is_admin.then(|| {
        let options = crate::areas::area_options(&data.areas, chosen_area.as_deref());
        view! {
            <SelectField
                id="team-area"
                name="area"
                label="Area"
                hint="For commissioners: the area whose organisations they oversee."
                error=add.error("area")
            >
                {options}
            </SelectField>
        }
    });
    let (page, more) = (data.page, data.more);
    let rows = data
        .members
        .into_iter()
        .map(|m| {
            let actions = me.may_manage_member(m.id, m.role, m.organisation_id).then(|| {
                let access_action = if m.access_removed { TeamAction::Restore } else { TeamAction::Remove }.key();
                let access_label = if m.access_removed { "Give access back" } else { "Remove access" };
                let reset = me.may_give_one_time_password_to(m.role).then(|| view! {
                    <form method="post" action="/staff/team" class="inline">
                        <input type="hidden" name="action" value=TeamAction::Reset.key()/>
                        <input type="hidden" name="user_id" value=m.id.to_string()/>
                        <button type="submit" class="link-button">
                            "New one-time password"<span class="visually-hidden">" for "{m.email.clone()}</span>
                        </button>
                    </form>
                });
                view! {
                    {reset}
                    <form method="post" action="/staff/team" class="inline">
                        <input type="hidden" name="action" value=access_action/>
                        <input type="hidden" name="user_id" value=m.id.to_string()/>
                        <button type="submit" class="link-button">
                            {access_label}<span class="visually-hidden">" for "{m.email.clone()}</span>
                        </button>
                    </form>
                }
            });
            let you = (m.id == me.id).then_some(" (you)");
            let place = m
                .organisation
                .clone()
                .or_else(|| (!m.areas.is_empty()).then(|| m.areas.join(", ")));
            view! {
                <li class="card">
                    <h3 class="member-email">{m.email.clone()}{you}</h3>
                    <p class="meta">{m.role.label()}{place.map(|p| format!(", {p}"))}</p>
                    <p>{m.access()}</p>
                    {actions.map(|a| view! { <div class="actions">{a}</div> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>"Team"</h1>
        <p>{intro}" New colleagues get a one-time password and choose their own when they first sign in."</p>
        {issued}
        <FormMessage message=member/>
        <FieldErrors feedback=add.feedback() prefix="team"/>
        <section aria-labelledby="team-add-heading">
            <h2 id="team-add-heading">"Add a colleague"</h2>
            <form method="post" action="/staff/team" class="stack">
                <input type="hidden" name="action" value=TeamAction::Add.key()/>
                <TextField id="team-email" name="email" label="Email address" kind="email" autocomplete="off" value=add.value("email") error=add.error("email")/>
                <SelectField id="team-role" name="role" label="What they will do" error=add.error("role")>{roles}</SelectField>
                {organisation_field}
                {area_field}
                <button type="submit" class="button">"Add and show their one-time password"</button>
            </form>
        </section>
        <h2>"People"</h2>
        <ul class="cards">{rows}</ul>
        <Pager base="/staff/team" page=page more=more label="Pages of people" earlier="Previous people" later="More people"/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manager(role: Role, organisation_id: Option<i64>) -> StaffUser {
        StaffUser {
            id: 1,
            email: "me@org.example".into(),
            role,
            organisation_id,
            organisation: None,
            areas: vec![],
            must_change_password: false,
        }
    }

    fn form(pairs: &[(&str, &str)]) -> FormValues {
        FormValues::from_pairs(pairs.iter().copied())
    }

    fn fields(r: Result<NewMember, Vec<(String, String)>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn an_organisation_admin_adds_to_their_own_organisation() {
        let oa = manager(Role::OrgAdmin, Some(4));
        let m = check_new_member(
            &form(&[
                ("email", "Ali@Org.example"),
                ("role", "youth_worker"),
                ("organisation_id", "9"),
            ]),
            &oa,
            &[],
            &[],
        )
        .unwrap();
        assert_eq!(m.email.as_str(), "ali@org.example");
        assert_eq!(
            m.organisation_id,
            Some(4),
            "the organisation posted is ignored"
        );
        assert_eq!(
            fields(check_new_member(
                &form(&[("email", "a@b.example"), ("role", "admin")]),
                &oa,
                &[],
                &[]
            )),
            ["role"],
            "an organisation admin can't make administrators"
        );
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let admin = manager(Role::Admin, None);
        assert_eq!(
            fields(check_new_member(
                &form(&[("email", "nope"), ("role", "")]),
                &admin,
                &[1],
                &[]
            )),
            ["email", "role"]
        );
        assert_eq!(
            fields(check_new_member(
                &form(&[
                    ("email", "a@b.example"),
                    ("role", "youth_worker"),
                    ("organisation_id", "7")
                ]),
                &admin,
                &[1],
                &[]
            )),
            ["organisation_id"],
            "an organisation that doesn't exist"
        );
        assert_eq!(
            fields(check_new_member(
                &form(&[
                    ("email", "c@b.example"),
                    ("role", "commissioner"),
                    ("area", "E99999999")
                ]),
                &admin,
                &[1],
                &["E08000025".into()]
            )),
            ["area"]
        );
    }

    #[test]
    fn administrators_add_commissioners_with_an_area() {
        let admin = manager(Role::Admin, None);
        let m = check_new_member(
            &form(&[
                ("email", "c@b.example"),
                ("role", "commissioner"),
                ("organisation_id", "1"),
                ("area", "E08000025"),
            ]),
            &admin,
            &[1],
            &["E08000025".into()],
        )
        .unwrap();
        assert_eq!(m.role, Role::Commissioner);
        assert_eq!(
            m.organisation_id, None,
            "commissioners belong to areas, not organisations"
        );
        assert_eq!(m.areas, ["E08000025"]);
    }
}
