//! Plain-text tables with aligned columns, for people at a terminal.

/// Lays `rows` out under `header`, each column as wide as its widest cell.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header: Vec<String> = header.iter().map(|cell| (*cell).to_owned()).collect();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_line_up_whatever_the_cell_lengths() {
        let table = super::render(
            &["RW", "Kelurahan"],
            &[vec!["5".into(), "Cigugur Tengah".into()], vec!["12".into(), "Utama".into()]],
        );
        assert_eq!(table, "RW  Kelurahan\n5   Cigugur Tengah\n12  Utama\n");
    }
}
