//! Uploaded images: the widths every upload is stored in, and the `srcset` that lets a phone
//! download the small one.

/// Widths (px) each uploaded image is resized to; never enlarged beyond the original.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// Largest accepted upload.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// The Dutch message for an image over the limit; the browser checks before sending, the server
/// again on receipt.
pub fn too_large_message() -> String {
    format!(
        "Deze afbeelding is groter dan {} MB. Verklein hem en probeer het opnieuw.",
        MAX_UPLOAD_BYTES / (1024 * 1024)
    )
}

/// Where uploads are served from.
pub const UPLOADS_PATH: &str = "/uploads";

/// The address of one stored width of upload `stem`.
pub fn upload_url(stem: &str, width: u32) -> String {
    format!("{UPLOADS_PATH}/{stem}-{width}.jpg")
}

/// `srcset` for an uploaded image (its address is the widest variant); `None` for other images.
pub fn srcset(src: &str) -> Option<String> {
    let largest = WIDTHS[WIDTHS.len() - 1];
    let stem = src
        .strip_prefix(UPLOADS_PATH)?
        .strip_prefix('/')?
        .strip_suffix(&format!("-{largest}.jpg"))?;
    let valid = !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_hexdigit());
    valid.then(|| {
        WIDTHS
            .iter()
            .map(|w| format!("{} {w}w", upload_url(stem, *w)))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_gets_a_srcset_of_all_widths() {
        assert_eq!(
            srcset("/uploads/00ff-1600.jpg").as_deref(),
            Some("/uploads/00ff-480.jpg 480w, /uploads/00ff-960.jpg 960w, /uploads/00ff-1600.jpg 1600w")
        );
    }

    #[test]
    fn other_images_get_none() {
        assert_eq!(srcset("/media/demo/brug.svg"), None);
        assert_eq!(srcset("/uploads/../etc-1600.jpg"), None);
        assert_eq!(srcset("https://elders.example/x-1600.jpg"), None);
    }
}
