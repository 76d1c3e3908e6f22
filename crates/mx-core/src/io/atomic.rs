//! Atomic saves: write a temporary file beside the target, then rename it over the target.
//!
//! A save that fails part way (a full disk, an array whose evaluation fails) leaves the
//! previous file, if any, untouched, and no half-written file under the target name.
//! Renaming also keeps alive the mappings of arrays loaded lazily from the old file.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A temporary path in the target's folder, unique within this process and across
/// processes.
fn temporary_path(target: &Path) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{name}.{}-{unique}.mx-tmp", std::process::id()))
}

/// Runs `write` on a buffered temporary file, then moves it to `target`. On any error the
/// temporary file is removed and the error returned.
pub(crate) fn write_atomically(
    target: &Path,
    op: &str,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<()> {
    let temporary = temporary_path(target);
    let failed =
        |e: std::io::Error| Error::Io(format!("[{op}] Failed to write {}: {e}.", target.display()));
    let result = (|| {
        let file = File::create(&temporary).map_err(failed)?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        write(&mut writer)?;
        let file = writer.into_inner().map_err(|e| failed(e.into_error()))?;
        file.sync_all().map_err(failed)?;
        std::fs::rename(&temporary, target).map_err(failed)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("mx-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("kept.bin");
        std::fs::write(&target, b"old contents").unwrap();
        let result = write_atomically(&target, "save", |file| {
            file.write_all(b"partial").unwrap();
            Err(Error::Eval("evaluation failed".into()))
        });
        assert_eq!(result, Err(Error::Eval("evaluation failed".into())));
        assert_eq!(std::fs::read(&target).unwrap(), b"old contents");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        write_atomically(&target, "save", |file| {
            file.write_all(b"new").map_err(|e| Error::Io(e.to_string()))
        })
        .unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_the_target() {
        let target = Path::new("/nonexistent-mx-folder/file.npy");
        let err = write_atomically(target, "save", |_| Ok(())).unwrap_err();
        assert!(
            err.message().contains("/nonexistent-mx-folder/file.npy"),
            "{err}"
        );
    }
}
