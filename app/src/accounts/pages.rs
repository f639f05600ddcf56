//! The sign-in page and who is signed in.

use crate::components::{FormMessage, Layout, StaffLayout, TextField};
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
                <TextField id="email" name="email" label="Email address" kind="email" autocomplete="username" required=true value=email/>
                <TextField id="password" name="password" label="Password" kind="password" autocomplete="current-password" required=true/>
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
                <TextField id="current" name="current" label="Current password" kind="password" autocomplete="current-password" required=true/>
                <TextField id="new" name="new" label="New password" kind="password" autocomplete="new-password" minlength=12 required=true/>
                <TextField id="confirm" name="confirm" label="New password again" kind="password" autocomplete="new-password" minlength=12 required=true/>
                <button type="submit" class="button">"Save password"</button>
            </form>
        </StaffLayout>
    }
}
