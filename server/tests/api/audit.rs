//! The audit log: publishing, taking offline, blocking, deleting and changing users are each
//! written down with who and when; editors see the newest on the overview, admins filter the
//! whole log; a reader's address never lands in it.

use crate::helpers::*;
use reqwest::StatusCode;

/// The log as (user name, action, subject, detail), newest first.
async fn log(app: &TestApp) -> Vec<(String, String, String, String)> {
    sqlx::query_as("SELECT user_name, action, subject, detail FROM audit_log ORDER BY id DESC")
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

async fn publishing_and_taking_offline_are_written_down_and_shown_to_editors(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, _) = newest_visible_article(&app).await;
    let r = save_as_editor(&app, id, "depubliceren", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = save_as_editor(&app, id, "publiceren", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A plain save of a published article is no event for the log.
    save_as_editor(&app, id, "opslaan", &[]).await;
    let entries = log(&app).await;
    let subject = format!("artikel:{id}");
    let editor = account(&app, DEMO_EDITOR).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(
        (
            entries[0].0.as_str(),
            entries[0].1.as_str(),
            entries[0].2.as_str()
        ),
        (
            editor.display_name.as_str(),
            "gepubliceerd",
            subject.as_str()
        )
    );
    assert_eq!(entries[1].1, "offline gehaald");

    let signed_in = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let overview = app.page(&signed_in, "/redactie").await;
    assert!(overview.contains("Recente activiteit"), "{overview}");
    assert!(overview.contains("offline gehaald"));
    let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let theirs = app.page(&contributor, "/redactie").await;
    assert!(!theirs.contains("Recente activiteit"), "for editors only");
}

async fn user_changes_blocks_and_deletions_are_written_down_without_addresses(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = signed_in_admin(&app).await;
    let contributor = account(&app, DEMO_CONTRIBUTOR).await;
    let r = app
        .post_form(
            &admin,
            &format!("/redactie/gebruikers/{}", contributor.id),
            &[("actie", "rol"), ("rol", "editor")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (comment, email): (i64, String) =
        sqlx::query_as("SELECT id, email FROM comments ORDER BY id LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let r = app
        .post_form(
            &admin,
            "/redactie/reacties",
            &[("een", format!("blokkeer-email:{comment}"))],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            &admin,
            "/redactie/reacties/verwijderen",
            &[("email", email.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let entries = log(&app).await;
    let actions: Vec<&str> = entries.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(
        actions,
        [
            "reacties verwijderd",
            "afzender geblokkeerd",
            "rol gewijzigd"
        ],
        "{entries:?}"
    );
    assert!(entries.iter().all(|e| e.0 == "Beheer"));
    assert_eq!(entries[2].2, format!("gebruiker:{}", contributor.id));
    assert_eq!(entries[2].3, "Redacteur");
    for entry in &entries {
        assert!(!entry.3.contains(&email), "no reader's address: {entry:?}");
    }
}

async fn only_admins_read_the_whole_log_and_can_filter_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, _) = newest_visible_article(&app).await;
    save_as_editor(&app, id, "depubliceren", &[]).await;
    let admin = signed_in_admin(&app).await;
    let contributor = account(&app, DEMO_CONTRIBUTOR).await;
    app.post_form(
        &admin,
        &format!("/redactie/gebruikers/{}", contributor.id),
        &[("actie", "uitschakelen")],
    )
    .await;

    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let refused = editor
        .get(app.url("/redactie/logboek"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // The lines of the log, not the filter's choices.
    let lines =
        |page: String| page[page.find("class=\"audit-log\"").expect("the log")..].to_string();
    let all = lines(app.page(&admin, "/redactie/logboek").await);
    assert!(all.contains("offline gehaald") && all.contains("gebruiker uitgeschakeld"));
    let by_admin = lines(app.page(&admin, "/redactie/logboek?wie=Beheer").await);
    assert!(by_admin.contains("gebruiker uitgeschakeld"));
    assert!(!by_admin.contains("offline gehaald"), "{by_admin}");
    let offline = lines(
        app.page(&admin, "/redactie/logboek?wat=offline+gehaald")
            .await,
    );
    assert!(offline.contains("offline gehaald"));
    assert!(!offline.contains("gebruiker uitgeschakeld"));
}

on_both_engines!(
    publishing_and_taking_offline_are_written_down_and_shown_to_editors,
    user_changes_blocks_and_deletions_are_written_down_without_addresses,
    only_admins_read_the_whole_log_and_can_filter_it,
);
