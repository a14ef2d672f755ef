//! The CPU-bound work of the chapter: a naive recursive Fibonacci, whose
//! cost grows by a factor of about 1.6 from one `n` to the next, and the
//! Mandelbrot set, whose rows cost very different amounts.

// ANCHOR: fib
/// The `n`th Fibonacci number, computed the slow way on purpose: the
/// number of calls grows like fib(n) itself, so fib(35) costs about 1.6
/// times fib(34) and 11 times fib(30). Pure computation, no memory traffic.
pub fn fib(n: u32) -> u64 {
    if n < 2 {
        n as u64
    } else {
        fib(n - 1) + fib(n - 2)
    }
}
// ANCHOR_END: fib

/// The part of the complex plane a Mandelbrot picture shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Pixels per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Iterations after which a point counts as inside the set.
    pub max_iter: u32,
    /// Real part at the left and right edges.
    pub re: (f64, f64),
    /// Imaginary part at the top and bottom rows.
    pub im: (f64, f64),
}

impl Frame {
    /// The frame of the chapter's cells: the upper half of the set and a
    /// strip below the real axis. The set's wide body lies in the lower
    /// half of the picture, so the lower rows are the expensive ones.
    pub fn chapter(width: usize, height: usize, max_iter: u32) -> Frame {
        Frame {
            width,
            height,
            max_iter,
            re: (-2.2, 0.8),
            im: (1.3, -0.3),
        }
    }
}

// ANCHOR: mandelbrot_row
/// The escape counts of one row of the picture: for each pixel, how many
/// iterations of z = z² + c it took |z| to pass 2, or `max_iter` if it
/// never did (the point is in the set). A pixel inside the set costs the
/// full `max_iter` iterations, a pixel far outside only one or two: rows
/// through the set's body cost far more than rows above it.
pub fn mandelbrot_row(frame: &Frame, row: usize) -> Vec<u32> {
    let (re0, re1) = frame.re;
    let (im0, im1) = frame.im;
    let ci = im0 + (im1 - im0) * row as f64 / frame.height as f64;
    (0..frame.width)
        .map(|col| {
            let cr = re0 + (re1 - re0) * col as f64 / frame.width as f64;
            let (mut zr, mut zi) = (0.0f64, 0.0f64);
            let mut n = 0;
            while n < frame.max_iter && zr * zr + zi * zi <= 4.0 {
                (zr, zi) = (zr * zr - zi * zi + cr, 2.0 * zr * zi + ci);
                n += 1;
            }
            n
        })
        .collect()
}
// ANCHOR_END: mandelbrot_row

/// The picture as text, one character per pixel of a coarse grid: `#` in
/// the set, `+` close to it, `.` further out, a space far away.
pub fn ascii_picture(frame: &Frame, cols: usize, rows: usize) -> String {
    let small = Frame {
        width: cols,
        height: rows,
        ..*frame
    };
    let mut out = String::new();
    for row in 0..rows {
        let line: String = mandelbrot_row(&small, row)
            .into_iter()
            .map(|n| match n {
                n if n >= frame.max_iter => '#',
                n if n > 20 => '+',
                n if n > 5 => '.',
                _ => ' ',
            })
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fib_starts_as_it_should() {
        let first: Vec<u64> = (0..10).map(fib).collect();
        assert_eq!(first, [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]);
        assert_eq!(fib(30), 832_040);
    }

    #[test]
    fn the_lower_rows_of_the_chapter_frame_cost_more() {
        let frame = Frame::chapter(200, 100, 200);
        let cost = |rows: std::ops::Range<usize>| -> u64 {
            rows.flat_map(|r| mandelbrot_row(&frame, r))
                .map(u64::from)
                .sum()
        };
        // Iterations are the work: the lower half does most of it.
        let (upper, lower) = (cost(0..50), cost(50..100));
        assert!(lower > 2 * upper, "upper {upper}, lower {lower}");
    }

    #[test]
    fn the_origin_is_in_the_set_and_two_is_not() {
        let frame = Frame {
            width: 2,
            height: 1,
            max_iter: 100,
            re: (0.0, 4.0),
            im: (0.0, 0.0),
        };
        // Pixel 0 is c = 0 (in the set), pixel 1 is c = 2 (escapes).
        let row = mandelbrot_row(&frame, 0);
        assert_eq!(row[0], 100);
        assert!(row[1] < 5);
    }
}
