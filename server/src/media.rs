//! Storing uploaded images: type from the bytes (never the file name or the browser's word),
//! decoded with limits (no decompression bombs), resized to the widths readers need, re-encoded
//! as JPEG under a name made from the content, so the files can be cached forever.

use std::{io::Cursor, path::Path};

use app::media::{upload_url, WIDTHS};
use image::{
    codecs::jpeg::JpegEncoder, imageops::FilterType, metadata::Orientation, DynamicImage,
    ImageDecoder, ImageFormat, ImageReader, Limits,
};
use sha2::{Digest, Sha256};

const MAX_SIDE: u32 = 12_000;
/// Image decodes at a time, the newsroom's and readers' together: one may take up to 512 MiB,
/// and this machine's memory is for serving pages.
pub static DECODE_TURN: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
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

/// Reads an image whose type the bytes say is JPEG, PNG or WebP, with sides of at most
/// `max_side` and at most `max_alloc` bytes of memory (no decompression bombs), turned upright
/// as its EXIF orientation says (phones store photos sideways and say so there).
fn decode(bytes: &[u8], max_side: u32, max_alloc: u64) -> Result<DynamicImage, MediaError> {
    let format = image::guess_format(bytes).map_err(|_| MediaError::UnsupportedType)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(MediaError::UnsupportedType);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(max_side);
    limits.max_image_height = Some(max_side);
    limits.max_alloc = Some(max_alloc);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| MediaError::Unreadable)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| MediaError::Unreadable)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Stores `bytes` in `dir` in every width and returns the address of the widest one.
pub fn store(bytes: &[u8], dir: &Path) -> Result<String, MediaError> {
    let image = decode(bytes, MAX_SIDE, 512 * 1024 * 1024)?;
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

/// Widest side of a reader's photo as the newsroom keeps it.
const PRIVATE_MAX_SIDE: u32 = 2400;
/// What a reader's photo may be when it comes in: anyone can send one, so the bounds are
/// tighter than the newsroom's (a phone photo is well within them).
const READER_MAX_SIDE: u32 = 8000;
const READER_MAX_ALLOC: u64 = 160 * 1024 * 1024;

/// Stores a reader's photo (a tip) in `dir` under a random name, which it returns. Re-encoding
/// drops everything but the pixels, the location in its metadata too.
pub fn store_private(bytes: &[u8], dir: &Path) -> Result<String, MediaError> {
    let image = decode(bytes, READER_MAX_SIDE, READER_MAX_ALLOC)?;
    let image = if image.width().max(image.height()) > PRIVATE_MAX_SIDE {
        image.resize(PRIVATE_MAX_SIDE, PRIVATE_MAX_SIDE, FilterType::Triangle)
    } else {
        image
    };
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&image.to_rgb8())
        .map_err(|_| MediaError::Unreadable)?;
    std::fs::create_dir_all(dir)?;
    let name: String = (0..16)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect::<String>()
        + ".jpg";
    let path = dir.join(&name);
    let partial = path.with_extension("part");
    std::fs::write(&partial, &out)?;
    std::fs::rename(&partial, &path)?;
    Ok(name)
}

/// Whether `name` is one [`store_private`] could have made: it goes into a path.
pub fn is_private_name(name: &str) -> bool {
    name.len() == 36 && name.ends_with(".jpg") && name[..32].chars().all(|c| c.is_ascii_hexdigit())
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
    fn a_private_photo_is_reencoded_under_a_random_name() {
        let dir = tempfile::tempdir().unwrap();
        let a = store_private(&png(3000, 1000), dir.path()).unwrap();
        let b = store_private(&png(3000, 1000), dir.path()).unwrap();
        assert!(is_private_name(&a) && a != b, "{a} {b}");
        let (w, h) = image::image_dimensions(dir.path().join(&a)).unwrap();
        assert_eq!((w, h), (2400, 800));
        assert!(!is_private_name("../zender.db"));
        // Anyone can send one: sides over the reader limit are not even decoded.
        assert!(matches!(
            store_private(&png(9000, 10), dir.path()),
            Err(MediaError::Unreadable)
        ));
        assert!(matches!(
            store_private(b"GIF89a", dir.path()),
            Err(MediaError::UnsupportedType)
        ));
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
