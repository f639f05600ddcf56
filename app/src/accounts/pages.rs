//! The sign-in page and who is signed in.

use crate::components::{FormMessage, Layout, StaffLayout};
use crate::forms::Feedback;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let feedback = Feedback::for_form("sign-in");
    let email = feedback
        .as_ref()
        .map(|f| f.values.raw("email").to_string())
        .unwrap_or_default();
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    let action = if next.is_empty() {
        "/sign-in".to_string()
    } else {
        format!(
            "/sign-in?next={}",
            next.replace('&', "%26").replace('#', "%23")
        )
    };
    view! {
        <Title text="Sign in"/>
        <Layout>
            <h1>"Sign in for staff"</h1>
            <p>"For youth workers, organisations and commissioners. Young people don't need an account."</p>
            <FormMessage message=feedback.and_then(|f| f.summary)/>
            <form method="post" action=action class="stack">
                <div class="field">
                    <label for="email">"Email address"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required value=email/>
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required/>
                </div>
                <button type="submit" class="button">"Sign in"</button>
            </form>
        </Layout>
    }
}

pub const PASSWORD_FORM: &str = "password";

/// Choosing a new password; the only page open to someone holding a one-time password.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let feedback = Feedback::for_form(PASSWORD_FORM);
    view! {
        <Title text="Choose your password"/>
        <StaffLayout>
            <h1>"Choose your password"</h1>
            <p>"Use at least 12 characters. A few words you will remember, with spaces, make a good password."</p>
            <FormMessage message=feedback.and_then(|f| f.summary)/>
            <form method="post" action="/staff/password" class="stack">
                <div class="field">
                    <label for="current">"Current password"</label>
                    <input id="current" name="current" type="password" autocomplete="current-password" required/>
                </div>
                <div class="field">
                    <label for="new">"New password"</label>
                    <input id="new" name="new" type="password" autocomplete="new-password" minlength="12" required/>
                </div>
                <div class="field">
                    <label for="confirm">"New password again"</label>
                    <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12" required/>
                </div>
                <button type="submit" class="button">"Save password"</button>
            </form>
        </StaffLayout>
    }
}
