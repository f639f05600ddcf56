//! Roles and what each may do. Every server function asks these questions
//! before it reads or changes anything.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs heard: everything, in every organisation.
    Admin,
    OrgAdmin,
    YouthWorker,
    SafeguardingLead,
    /// Read-only, across organisations in their areas; sees anonymised views only.
    Commissioner,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::OrgAdmin,
        Role::YouthWorker,
        Role::SafeguardingLead,
        Role::Commissioner,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::OrgAdmin => "org_admin",
            Role::YouthWorker => "youth_worker",
            Role::SafeguardingLead => "safeguarding_lead",
            Role::Commissioner => "commissioner",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::OrgAdmin => "Organisation administrator",
            Role::YouthWorker => "Youth worker",
            Role::SafeguardingLead => "Safeguarding lead",
            Role::Commissioner => "Commissioner",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    /// Roles that belong to one organisation.
    pub fn needs_organisation(self) -> bool {
        matches!(
            self,
            Role::OrgAdmin | Role::YouthWorker | Role::SafeguardingLead
        )
    }
}

/// Which organisations' things someone may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    Everywhere,
    Organisation(i64),
    /// Organisations working in these areas.
    Areas(Vec<String>),
    Nowhere,
}

impl Reach {
    /// A SQL condition on `column` (an organisation id) for what this reach
    /// covers, with the value to bind as `$1`; `None` when a query by
    /// organisation cannot express it (areas, nowhere).
    pub fn organisation_clause(&self, column: &str) -> Option<(String, i64)> {
        match self {
            Reach::Everywhere => Some(("$1 = $1".into(), 0)),
            Reach::Organisation(org) => Some((format!("{column} = $1"), *org)),
            Reach::Areas(_) | Reach::Nowhere => None,
        }
    }
}

/// What someone may do with an organisation's participation standards,
/// least first: each level may do everything the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StandardsAccess {
    None,
    /// Commissioners of the organisation's area: read assessments, never
    /// open its documents (they may hold young people's faces and names).
    Oversee,
    /// Its safeguarding leads: read everything, documents too.
    Read,
    /// Its youth workers: add evidence and stories of change.
    Contribute,
    /// Its administrators (and heard's): start assessments, claim levels,
    /// plan actions, send young people the link, publish stories.
    Manage,
}

impl StandardsAccess {
    pub fn may_read(self) -> bool {
        self >= StandardsAccess::Oversee
    }
    pub fn may_open_documents(self) -> bool {
        self >= StandardsAccess::Read
    }
    pub fn may_contribute(self) -> bool {
        self >= StandardsAccess::Contribute
    }
    pub fn may_manage(self) -> bool {
        self == StandardsAccess::Manage
    }
}

/// A signed-in member of staff. Holds nothing secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffUser {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub organisation: Option<String>,
    /// Commissioners: the area codes they oversee.
    pub areas: Vec<String>,
    /// Signed in with a one-time password: must choose their own first.
    pub must_change_password: bool,
}

impl StaffUser {
    fn is_member_of(&self, organisation_id: i64) -> bool {
        self.organisation_id == Some(organisation_id)
    }

    /// Build, open, close and duplicate surveys.
    pub fn may_manage_surveys_of(&self, organisation_id: i64) -> bool {
        match self.role {
            Role::Admin => true,
            Role::OrgAdmin | Role::YouthWorker => self.is_member_of(organisation_id),
            Role::SafeguardingLead | Role::Commissioner => false,
        }
    }

    /// See an organisation's own results, free text included.
    pub fn may_see_results_of(&self, organisation_id: i64) -> bool {
        match self.role {
            Role::Admin => true,
            Role::OrgAdmin | Role::YouthWorker | Role::SafeguardingLead => {
                self.is_member_of(organisation_id)
            }
            // Commissioners see anonymised views across organisations, never raw results.
            Role::Commissioner => false,
        }
    }

    /// List an organisation's surveys (titles, status, numbers of responses).
    pub fn may_list_surveys_of(
        &self,
        organisation_id: i64,
        organisation_area: Option<&str>,
    ) -> bool {
        match self.role {
            Role::Commissioner => {
                organisation_area.is_some_and(|a| self.areas.iter().any(|mine| mine == a))
            }
            _ => self.may_see_results_of(organisation_id),
        }
    }

    /// Whose surveys this person may list: the same rule as
    /// [`StaffUser::may_list_surveys_of`], in a form a query can use.
    pub fn survey_reach(&self) -> Reach {
        match (self.role, self.organisation_id) {
            (Role::Admin, _) => Reach::Everywhere,
            (Role::Commissioner, _) => Reach::Areas(self.areas.clone()),
            (_, Some(org)) => Reach::Organisation(org),
            (_, None) => Reach::Nowhere,
        }
    }

    pub fn may_create_surveys(&self) -> bool {
        match self.role {
            Role::Admin => true,
            Role::OrgAdmin | Role::YouthWorker => self.organisation_id.is_some(),
            _ => false,
        }
    }

    /// Add, edit and take down an organisation's services: its
    /// administrators, and heard's.
    pub fn may_manage_services_of(&self, organisation_id: i64) -> bool {
        match self.role {
            Role::Admin => true,
            Role::OrgAdmin => self.is_member_of(organisation_id),
            _ => false,
        }
    }

    /// Add services for any organisation, and import lists of them.
    pub fn may_import_services(&self) -> bool {
        self.role == Role::Admin
    }

    /// Administrators load how many young people live in each area.
    pub fn may_load_populations(&self) -> bool {
        self.role == Role::Admin
    }

    /// See anonymised, disclosed views across organisations: commissioners
    /// (their areas) and administrators (all of England).
    pub fn may_see_insights(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Commissioner)
    }

    /// On a hub: register instances, read the feed log, pull now.
    pub fn may_run_the_hub(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn may_edit_areas(&self) -> bool {
        self.role == Role::Admin
    }

    /// Add organisations and say which area each works in.
    pub fn may_manage_organisations(&self) -> bool {
        self.role == Role::Admin
    }

    /// The roles this person may give colleagues (none: they don't manage a
    /// team), least powerful first, so the first offered is the safest.
    pub fn roles_they_may_give(&self) -> &'static [Role] {
        match self.role {
            Role::Admin => &[
                Role::YouthWorker,
                Role::SafeguardingLead,
                Role::OrgAdmin,
                Role::Commissioner,
                Role::Admin,
            ],
            Role::OrgAdmin if self.organisation_id.is_some() => {
                &[Role::YouthWorker, Role::SafeguardingLead, Role::OrgAdmin]
            }
            _ => &[],
        }
    }

    /// What this person may do with an organisation's participation
    /// standards (its assessments, evidence, actions and stories), given
    /// the area the organisation works in.
    pub fn standards_access(
        &self,
        organisation_id: i64,
        organisation_area: Option<&str>,
    ) -> StandardsAccess {
        let member = self.is_member_of(organisation_id);
        match self.role {
            Role::Admin => StandardsAccess::Manage,
            Role::OrgAdmin if member => StandardsAccess::Manage,
            Role::YouthWorker if member => StandardsAccess::Contribute,
            Role::SafeguardingLead if member => StandardsAccess::Read,
            Role::Commissioner
                if organisation_area.is_some_and(|a| self.areas.iter().any(|m| m == a)) =>
            {
                StandardsAccess::Oversee
            }
            _ => StandardsAccess::None,
        }
    }

    /// Load participation standards frameworks: heard's administrators.
    pub fn may_import_frameworks(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whose assessments this person may list, in a form a query can use:
    /// the same rule as [`StaffUser::standards_access`].
    pub fn standards_reach(&self) -> Reach {
        self.survey_reach()
    }

    /// Open an organisation's safeguarding queue, read its items and record
    /// what was done: only its safeguarding leads, and administrators.
    pub fn may_handle_safeguarding_for(&self, organisation_id: i64) -> bool {
        match self.role {
            Role::Admin => true,
            Role::SafeguardingLead => self.is_member_of(organisation_id),
            _ => false,
        }
    }

    /// Whose safeguarding queues this person may open, in a form a query can use.
    pub fn safeguarding_reach(&self) -> Reach {
        match (self.role, self.organisation_id) {
            (Role::Admin, _) => Reach::Everywhere,
            (Role::SafeguardingLead, Some(org)) => Reach::Organisation(org),
            _ => Reach::Nowhere,
        }
    }

    /// Approve, hide or take more out of an organisation's free text: youth
    /// workers and above in the organisation.
    pub fn may_moderate(&self, organisation_id: i64) -> bool {
        match self.role {
            Role::Admin => true,
            Role::OrgAdmin | Role::YouthWorker => self.is_member_of(organisation_id),
            Role::SafeguardingLead | Role::Commissioner => false,
        }
    }

    /// Whose free text this person may moderate, in a form a query can use.
    pub fn moderation_reach(&self) -> Reach {
        match (self.role, self.organisation_id) {
            (Role::Admin, _) => Reach::Everywhere,
            (Role::OrgAdmin | Role::YouthWorker, Some(org)) => Reach::Organisation(org),
            _ => Reach::Nowhere,
        }
    }

    /// The organisation whose safeguarding lead this person is, if they are one.
    pub fn safeguarding_lead_of(&self) -> Option<i64> {
        match self.role {
            Role::SafeguardingLead => self.organisation_id,
            _ => None,
        }
    }

    /// Add risk phrases for every organisation.
    pub fn may_add_risk_phrases_for_everyone(&self) -> bool {
        self.role == Role::Admin
    }

    /// Read the audit log of account actions.
    pub fn may_read_audit_log(&self) -> bool {
        self.role == Role::Admin
    }

    /// Give a colleague with `role` a new one-time password (and so the means
    /// to sign in as them). Organisation administrators may do it only for
    /// youth workers: for a safeguarding lead or another organisation
    /// administrator it would let them read what only that person may, so
    /// only an administrator may.
    pub fn may_give_one_time_password_to(&self, role: Role) -> bool {
        match self.role {
            Role::Admin => true,
            Role::OrgAdmin => role == Role::YouthWorker,
            _ => false,
        }
    }

    /// The roles this person may add new colleagues with: adding one shows
    /// them the new account's one-time password, so only roles they may give
    /// one-time passwords to (an organisation admin adds youth workers; an
    /// administrator adds safeguarding leads and organisation admins).
    pub fn roles_they_may_add(&self) -> Vec<Role> {
        self.roles_they_may_give()
            .iter()
            .copied()
            .filter(|r| self.may_give_one_time_password_to(*r))
            .collect()
    }

    /// Add staff, give out one-time passwords, remove and restore access.
    pub fn may_manage_team(&self) -> bool {
        !self.roles_they_may_give().is_empty()
    }

    /// Act on the account of someone with `role` in `organisation_id`: never
    /// their own (that would lock them out), and only within their reach.
    pub fn may_manage_member(&self, id: i64, role: Role, organisation_id: Option<i64>) -> bool {
        id != self.id
            && self.roles_they_may_give().contains(&role)
            && match self.role {
                Role::Admin => true,
                _ => organisation_id.is_some_and(|o| self.is_member_of(o)),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, org: Option<i64>) -> StaffUser {
        StaffUser {
            id: 1,
            email: "a@b.c".into(),
            role,
            organisation_id: org,
            organisation: None,
            areas: vec!["E1".into()],
            must_change_password: false,
        }
    }

    #[test]
    fn youth_workers_manage_only_their_own_organisations_surveys() {
        let yw = user(Role::YouthWorker, Some(1));
        assert!(yw.may_manage_surveys_of(1));
        assert!(!yw.may_manage_surveys_of(2));
        assert!(yw.may_see_results_of(1));
        assert!(!yw.may_see_results_of(2));
    }

    #[test]
    fn admins_may_do_everything() {
        let admin = user(Role::Admin, None);
        assert!(
            admin.may_manage_surveys_of(7) && admin.may_see_results_of(7) && admin.may_edit_areas()
        );
    }

    #[test]
    fn safeguarding_leads_read_but_do_not_build() {
        let lead = user(Role::SafeguardingLead, Some(1));
        assert!(lead.may_see_results_of(1));
        assert!(!lead.may_manage_surveys_of(1));
        assert!(!lead.may_create_surveys());
    }

    #[test]
    fn standards_are_managed_by_their_organisation_and_read_by_its_commissioners() {
        use StandardsAccess as A;
        let of = |u: &StaffUser, org: i64, area: &str| u.standards_access(org, Some(area));
        let admin = user(Role::OrgAdmin, Some(1));
        assert_eq!(of(&admin, 1, "E9"), A::Manage);
        assert_eq!(of(&admin, 2, "E1"), A::None);
        let yw = user(Role::YouthWorker, Some(1));
        assert_eq!(of(&yw, 1, "E9"), A::Contribute);
        assert!(yw.standards_access(1, None).may_contribute());
        assert!(!of(&yw, 1, "E9").may_manage());
        assert_eq!(of(&yw, 2, "E1"), A::None);
        let lead = user(Role::SafeguardingLead, Some(1));
        assert_eq!(of(&lead, 1, "E9"), A::Read);
        assert!(of(&lead, 1, "E9").may_open_documents() && !of(&lead, 1, "E9").may_contribute());
        let c = user(Role::Commissioner, None);
        assert_eq!(of(&c, 5, "E1"), A::Oversee);
        assert!(of(&c, 5, "E1").may_read() && !of(&c, 5, "E1").may_open_documents());
        assert_eq!(of(&c, 5, "E2"), A::None);
        assert_eq!(c.standards_access(5, None), A::None);
        assert_eq!(of(&user(Role::Admin, None), 5, "E2"), A::Manage);
    }

    #[test]
    fn commissioners_list_surveys_in_their_areas_but_never_see_raw_results() {
        let c = user(Role::Commissioner, None);
        assert!(c.may_list_surveys_of(5, Some("E1")));
        assert!(!c.may_list_surveys_of(5, Some("E2")));
        assert!(!c.may_list_surveys_of(5, None));
        assert!(!c.may_see_results_of(5));
        assert!(!c.may_manage_surveys_of(5));
    }

    #[test]
    fn organisation_admins_manage_their_own_team_only() {
        let oa = user(Role::OrgAdmin, Some(1)); // id 1
        assert!(oa.may_manage_team());
        assert!(oa.may_manage_member(2, Role::YouthWorker, Some(1)));
        assert!(oa.may_manage_member(2, Role::OrgAdmin, Some(1)));
        assert!(
            !oa.may_manage_member(2, Role::YouthWorker, Some(9)),
            "another organisation"
        );
        assert!(
            !oa.may_manage_member(2, Role::Admin, None),
            "an administrator"
        );
        assert!(
            !oa.may_manage_member(2, Role::Commissioner, None),
            "a commissioner"
        );
        assert!(
            !oa.may_manage_member(1, Role::OrgAdmin, Some(1)),
            "themselves"
        );
        assert!(!oa.roles_they_may_give().contains(&Role::Admin));
        assert!(!oa.roles_they_may_give().contains(&Role::Commissioner));
        assert_eq!(
            oa.roles_they_may_give()[0],
            Role::YouthWorker,
            "the safest is offered first"
        );
        assert!(!user(Role::OrgAdmin, None).may_manage_team());
    }

    #[test]
    fn only_administrators_give_one_time_passwords_to_leads_and_organisation_admins() {
        let oa = user(Role::OrgAdmin, Some(1));
        assert!(oa.may_give_one_time_password_to(Role::YouthWorker));
        assert!(!oa.may_give_one_time_password_to(Role::SafeguardingLead));
        assert!(!oa.may_give_one_time_password_to(Role::OrgAdmin));
        assert_eq!(
            oa.roles_they_may_add(),
            [Role::YouthWorker],
            "adding shows the new account's password: the same rule"
        );
        assert_eq!(
            user(Role::Admin, None).roles_they_may_add().len(),
            Role::ALL.len()
        );
        let admin = user(Role::Admin, None);
        for r in Role::ALL {
            assert!(admin.may_give_one_time_password_to(r));
        }
        assert!(!user(Role::YouthWorker, Some(1)).may_give_one_time_password_to(Role::YouthWorker));
        assert!(admin.may_read_audit_log());
        assert!(!oa.may_read_audit_log());
    }

    #[test]
    fn only_administrators_and_organisation_admins_manage_teams() {
        let admin = user(Role::Admin, None);
        assert_eq!(admin.roles_they_may_give().len(), Role::ALL.len());
        assert_eq!(admin.roles_they_may_give()[0], Role::YouthWorker);
        assert!(admin.may_manage_member(2, Role::Commissioner, None));
        assert!(admin.may_manage_member(2, Role::YouthWorker, Some(9)));
        assert!(!admin.may_manage_member(1, Role::Admin, None), "themselves");
        for role in [
            Role::YouthWorker,
            Role::SafeguardingLead,
            Role::Commissioner,
        ] {
            let u = user(role, Some(1));
            assert!(!u.may_manage_team());
            assert!(!u.may_manage_member(2, Role::YouthWorker, Some(1)));
        }
    }

    #[test]
    fn reach_says_what_may_list_surveys_of_says() {
        let orgs: [(i64, Option<&str>); 4] =
            [(1, Some("E1")), (2, Some("E2")), (3, None), (1, None)];
        for role in Role::ALL {
            for org in [Some(1), None] {
                let u = user(role, org);
                for (o, area) in orgs {
                    let by_reach = match u.survey_reach() {
                        Reach::Everywhere => true,
                        Reach::Organisation(mine) => mine == o,
                        Reach::Areas(areas) => area.is_some_and(|a| areas.iter().any(|x| x == a)),
                        Reach::Nowhere => false,
                    };
                    assert_eq!(
                        by_reach,
                        u.may_list_surveys_of(o, area),
                        "{role:?} {org:?} {o} {area:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn organisation_admins_manage_their_own_services_and_only_admins_import() {
        assert!(user(Role::OrgAdmin, Some(1)).may_manage_services_of(1));
        assert!(!user(Role::OrgAdmin, Some(1)).may_manage_services_of(2));
        assert!(user(Role::Admin, None).may_manage_services_of(2));
        for role in [
            Role::YouthWorker,
            Role::SafeguardingLead,
            Role::Commissioner,
        ] {
            assert!(!user(role, Some(1)).may_manage_services_of(1), "{role:?}");
        }
        assert!(user(Role::Admin, None).may_import_services());
        assert!(!user(Role::OrgAdmin, Some(1)).may_import_services());
    }

    #[test]
    fn roles_parse_by_key() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.key()), Some(r));
        }
        assert_eq!(Role::parse("superuser"), None);
    }

    #[test]
    fn only_an_organisations_safeguarding_leads_and_admins_open_its_queue() {
        let may: Vec<(Role, bool)> = Role::ALL
            .into_iter()
            .map(|r| (r, user(r, Some(1)).may_handle_safeguarding_for(1)))
            .collect();
        assert_eq!(
            may,
            vec![
                (Role::Admin, true),
                (Role::OrgAdmin, false),
                (Role::YouthWorker, false),
                (Role::SafeguardingLead, true),
                (Role::Commissioner, false),
            ]
        );
        assert!(!user(Role::SafeguardingLead, Some(1)).may_handle_safeguarding_for(2));
    }

    #[test]
    fn youth_workers_and_above_moderate_their_own_organisation() {
        assert!(user(Role::YouthWorker, Some(1)).may_moderate(1));
        assert!(user(Role::OrgAdmin, Some(1)).may_moderate(1));
        assert!(user(Role::Admin, None).may_moderate(1));
        assert!(!user(Role::YouthWorker, Some(1)).may_moderate(2));
        assert!(!user(Role::Commissioner, None).may_moderate(1));
        assert!(!user(Role::SafeguardingLead, Some(1)).may_moderate(1));
    }

    #[test]
    fn reaches_agree_with_the_rules_they_stand_for() {
        for role in Role::ALL {
            for org in [Some(1), None] {
                let u = user(role, org);
                for o in [1, 2] {
                    let within = |reach: Reach| match reach {
                        Reach::Everywhere => true,
                        Reach::Organisation(mine) => mine == o,
                        Reach::Areas(_) | Reach::Nowhere => false,
                    };
                    assert_eq!(
                        within(u.safeguarding_reach()),
                        u.may_handle_safeguarding_for(o)
                    );
                    assert_eq!(within(u.moderation_reach()), u.may_moderate(o));
                }
            }
        }
    }
}
