//! Storing uploaded images: type from the bytes (never the file name or the browser's word),
//! decoded with limits (no decompression bombs), resized to the widths readers need, re-encoded
//! as JPEG under a name made from the content, so the files can be cached forever.

use std::{io::Cursor, path::Path};

use app::media::{upload_url, WIDTHS};
use image::{codecs::jpeg::JpegEncoder, imageops::FilterType, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

const MAX_SIDE: u32 = 12_000;
const JPEG_QUALITY: u8 = 82;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("Alleen JPEG-, PNG- en WebP-afbeeldingen kunnen worden geüpload.")]
    UnsupportedType,
    #[error("Deze afbeelding kan niet worden gelezen. Is het bestand beschadigd?")]
    Unreadable,
    #[error("could not store the image")]
    Io(#[from] std::io::Error),
}

/// Stores `bytes` in `dir` in every width and returns the address of the widest one.
pub fn store(bytes: &[u8], dir: &Path) -> Result<String, MediaError> {
    let format = image::guess_format(bytes).map_err(|_| MediaError::UnsupportedType)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(MediaError::UnsupportedType);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| MediaError::Unreadable)?;
    let stem: String = Sha256::digest(bytes)
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect();
    std::fs::create_dir_all(dir)?;
    for width in WIDTHS {
        let resized = if image.width() > width {
            image.resize(width, u32::MAX, FilterType::Triangle)
        } else {
            image.clone()
        };
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .encode_image(&resized.to_rgb8())
            .map_err(|_| MediaError::Unreadable)?;
        // Write then rename: a reader never sees half a file.
        let path = dir.join(format!("{stem}-{width}.jpg"));
        let partial = path.with_extension("part");
        std::fs::write(&partial, &out)?;
        std::fs::rename(&partial, &path)?;
    }
    Ok(upload_url(&stem, WIDTHS[WIDTHS.len() - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 80, 20]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn an_image_is_stored_in_every_width_never_enlarged() {
        let dir = tempfile::tempdir().unwrap();
        let src = store(&png(1200, 600), dir.path()).unwrap();
        assert!(
            src.starts_with("/uploads/") && src.ends_with("-1600.jpg"),
            "{src}"
        );
        let stem = src
            .trim_start_matches("/uploads/")
            .trim_end_matches("-1600.jpg");
        let width = |w: u32| {
            image::image_dimensions(dir.path().join(format!("{stem}-{w}.jpg")))
                .unwrap()
                .0
        };
        assert_eq!((width(480), width(960), width(1600)), (480, 960, 1200));
    }

    #[test]
    fn the_type_comes_from_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            store(b"<svg onload=alert(1)>", dir.path()),
            Err(MediaError::UnsupportedType)
        ));
        let mut broken = png(10, 10);
        broken.truncate(40);
        assert!(matches!(
            store(&broken, dir.path()),
            Err(MediaError::Unreadable)
        ));
    }
}
