//! Team: who can sign in for an organisation. Organisation administrators add
//! colleagues (who get a one-time password, shown once, to replace at first
//! sign-in), give out a new one-time password when one is forgotten, and
//! remove or give back access. Administrators do the same for everyone,
//! commissioners included.

use crate::accounts::{Role, StaffUser};
use crate::areas::Area;
use crate::components::{load_page, FieldErrors, FormMessage, Pager, StaffLayout};
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

/// What a post to /staff/team asks for, named once for the page and the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamAction {
    Add,
    /// A new one-time password.
    Reset,
    Remove,
    Restore,
}

impl TeamAction {
    const ALL: [TeamAction; 4] = [
        TeamAction::Add,
        TeamAction::Reset,
        TeamAction::Remove,
        TeamAction::Restore,
    ];

    pub fn key(self) -> &'static str {
        match self {
            TeamAction::Add => "add",
            TeamAction::Reset => "reset",
            TeamAction::Remove => "remove",
            TeamAction::Restore => "restore",
        }
    }

    pub fn parse(key: &str) -> Option<TeamAction> {
        TeamAction::ALL.into_iter().find(|a| a.key() == key)
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
    pub email: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub areas: Vec<String>,
}

/// An email address as people type them: trimmed, lower case, one `@` with
/// something before it and a dotted domain after it.
pub fn check_email(raw: &str) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    let ok = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(email)
    } else {
        Err("Enter an email address like name@example.org.".into())
    }
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
    let email = check_email(form.raw("email")).map_err(|m| problems.push(("email".into(), m)));
    let role = form
        .value("role")
        .and_then(Role::parse)
        .filter(|r| manager.roles_they_may_give().contains(r));
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
    let page = page.unwrap_or(0).clamp(0, 1_000_000);
    let admin = me.role == Role::Admin;
    let scope = if admin { None } else { me.organisation_id };
    let (members, more) = store::team(db, scope, page, PER_PAGE).await?;
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
        page,
        more,
    })
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let add = Feedback::for_form(ADD_FORM);
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
    add: Option<Feedback>,
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
    let field = |name: &str| add.as_ref().and_then(|f| f.field(name));
    let value = |name: &str| {
        add.as_ref()
            .map(|f| f.values.raw(name).to_string())
            .unwrap_or_default()
    };
    let chosen = |name: &str, v: &str| add.as_ref().is_some_and(|f| f.values.has(name, v));
    let (email_error, role_error, org_error, area_error) = (
        field("email"),
        field("role"),
        field("organisation_id"),
        field("area"),
    );
    let roles = me
        .roles_they_may_give()
        .iter()
        .map(|r| {
            let selected = chosen("role", r.key());
            view! { <option value=r.key() selected=selected>{r.label()}</option> }
        })
        .collect_view();
    let organisation_field = is_admin.then(|| {
        let options = data
            .organisations
            .iter()
            .map(|o| {
                let selected = chosen("organisation_id", &o.id.to_string());
                view! { <option value=o.id.to_string() selected=selected>{o.name.clone()}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="team-organisation-id">"Organisation"</label>
                <p class="hint" id="team-organisation-id-hint">"For organisation administrators, youth workers and safeguarding leads."</p>
                <p class="field-error" id="team-organisation-id-error" hidden=org_error.is_none()>{org_error.clone()}</p>
                <select id="team-organisation-id" name="organisation_id" aria-describedby="team-organisation-id-hint team-organisation-id-error">
                    <option value="">"None"</option>
                    {options}
                </select>
            </div>
        }
    });
    let chosen_area = add
        .as_ref()
        .and_then(|f| f.values.value("area").map(str::to_string));
    let area_field = is_admin.then(|| {
        let options = crate::areas::area_options(&data.areas, chosen_area.as_deref());
        view! {
            <div class="field">
                <label for="team-area">"Area"</label>
                <p class="hint" id="team-area-hint">"For commissioners: the area whose organisations they oversee."</p>
                <p class="field-error" id="team-area-error" hidden=area_error.is_none()>{area_error.clone()}</p>
                <select id="team-area" name="area" aria-describedby="team-area-hint team-area-error">{options}</select>
            </div>
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
        <FieldErrors feedback=add.clone() prefix="team"/>
        <section aria-labelledby="team-add-heading">
            <h2 id="team-add-heading">"Add a colleague"</h2>
            <form method="post" action="/staff/team" class="stack">
                <input type="hidden" name="action" value=TeamAction::Add.key()/>
                <div class="field">
                    <label for="team-email">"Email address"</label>
                    <p class="field-error" id="team-email-error" hidden=email_error.is_none()>{email_error.clone()}</p>
                    <input id="team-email" name="email" type="email" autocomplete="off" value=value("email") aria-describedby="team-email-error"/>
                </div>
                <div class="field">
                    <label for="team-role">"What they will do"</label>
                    <p class="field-error" id="team-role-error" hidden=role_error.is_none()>{role_error.clone()}</p>
                    <select id="team-role" name="role" aria-describedby="team-role-error">{roles}</select>
                </div>
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
    fn emails_are_tidied_and_must_look_like_addresses() {
        assert_eq!(
            check_email("  Sam.Jones@Youth.Example ").unwrap(),
            "sam.jones@youth.example"
        );
        for bad in [
            "",
            "sam",
            "sam@",
            "@org.example",
            "sam@org",
            "sam@@org.example",
            "sa m@org.example",
            "sam@org.example.",
        ] {
            assert!(check_email(bad).is_err(), "{bad:?}");
        }
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
        assert_eq!(m.email, "ali@org.example");
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
