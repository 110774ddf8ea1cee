//! Charts drawn with plotters as SVG text: lines over a linear or
//! logarithmic x (CDFs, series over time, a sweep's metric against a swept
//! value with 95 % confidence bars), bars, and points with confidence bars.

use plotters::element::ErrorBarOrientV;
use plotters::prelude::*;

/// Size of every chart, in pixels.
const SIZE: (u32, u32) = (640, 360);

/// A named series of (x, y) points.
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// The colours series take in turn.
fn colour(i: usize) -> RGBColor {
    const PALETTE: [RGBColor; 8] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
    ];
    PALETTE[i % PALETTE.len()]
}

/// The largest magnitude an axis reaches. Near the largest float,
/// plotters' tick arithmetic (a range's width, the decade above its end)
/// overflows to infinity and its loop over the ticks never ends; a value
/// beyond (a trace's duration of 1e308 s) is drawn clipped at the edge.
const REACH: f64 = 1e300;

/// The range of values, widened when empty or flat, within [`REACH`].
fn span(values: impl Iterator<Item = f64>, from_zero: bool) -> std::ops::Range<f64> {
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()).map(|v| v.clamp(-REACH, REACH)) {
        low = low.min(v);
        high = high.max(v);
    }
    if !low.is_finite() {
        return 0.0..1.0;
    }
    if from_zero {
        low = low.min(0.0);
    }
    if high <= low {
        high = low + 1.0;
    }
    low..high + (high - low) * 0.05
}

/// Whether an axis reaches a trillion: its ticks are then labelled in
/// scientific notation (plotters' labels print every digit: 300 of them
/// for 1e300), others as plotters labels them.
fn wide(range: &std::ops::Range<f64>) -> bool {
    range.start.abs().max(range.end.abs()) >= 1e12
}

/// A tick's label in scientific notation, its mantissa to five places at
/// most (`2e300`, `1.5e12`).
fn scientific(value: &f64) -> String {
    plotters::data::float::FloatPrettyPrinter {
        allow_scientific: true,
        min_decimal: 0,
        max_decimal: 5,
    }
    .print(*value)
}

/// How a line chart's x axis is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Linear,
    /// Logarithmic: values at or below 0 are left out.
    Log,
}

/// Lines, one per series, with a legend.
pub fn lines(title: &str, x_label: &str, y_label: &str, series: &[Series], x_axis: Axis) -> Result<String, String> {
    lines_with_bars(title, x_label, y_label, series, &[], x_axis)
}

/// Lines with a vertical bar at each point of `bars`: (x, low, high), in
/// the colour of the series of the same index.
pub fn lines_with_bars(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    bars: &[Vec<(f64, f64, f64)>],
    x_axis: Axis,
) -> Result<String, String> {
    let positive: Vec<Series>;
    let series = match x_axis {
        Axis::Linear => series,
        Axis::Log => {
            positive = series
                .iter()
                .map(|s| Series {
                    name: s.name.clone(),
                    points: s.points.iter().copied().filter(|p| p.0 > 0.0).collect(),
                })
                .collect();
            &positive
        }
    };
    let xs = span(series.iter().flat_map(|s| s.points.iter().map(|p| p.0)), false);
    let ys = span(
        series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .chain(bars.iter().flatten().flat_map(|b| [b.1, b.2])),
        true,
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let labels = (title, x_label, y_label, (wide(&xs), wide(&ys)));
        match x_axis {
            // Decades around the values: at least one below the first.
            Axis::Log => draw_lines(
                &root,
                (xs.start.max(1e-12)..xs.end.max(xs.start * 10.0)).log_scale(),
                ys,
                labels,
                series,
                bars,
            ),
            Axis::Linear => draw_lines(&root, xs, ys, labels, series, bars),
        }?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// A 95 % confidence bar from `low` to `high` at `x`.
fn confidence_bar(x: f64, low: f64, high: f64, c: RGBColor) -> ErrorBar<f64, f64, ErrorBarOrientV<f64, f64>> {
    ErrorBar::new_vertical(x, low, (low + high) / 2.0, high, c.stroke_width(2), 10)
}

/// Draws the lines (and bars) on `root` over the x range `xs`, linear or
/// logarithmic.
fn draw_lines<X>(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    xs: X,
    ys: std::ops::Range<f64>,
    (title, x_label, y_label, (wide_x, wide_y)): (&str, &str, &str, (bool, bool)),
    series: &[Series],
    bars: &[Vec<(f64, f64, f64)>],
) -> Result<(), String>
where
    X: plotters::coord::ranged1d::AsRangedCoord<Value = f64>,
    X::CoordDescType: plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(xs, ys)
        .map_err(|e| e.to_string())?;
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_label).y_desc(y_label);
    if wide_x {
        mesh.x_label_formatter(&scientific);
    }
    if wide_y {
        mesh.y_label_formatter(&scientific);
    }
    mesh.draw().map_err(|e| e.to_string())?;
    for (i, s) in series.iter().enumerate() {
        let c = colour(i);
        chart
            .draw_series(LineSeries::new(s.points.iter().copied(), c.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label(s.name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(2)));
        if let Some(bars) = bars.get(i) {
            chart
                .draw_series(bars.iter().map(|(x, low, high)| confidence_bar(*x, *low, *high, c)))
                .map_err(|e| e.to_string())?;
        }
    }
    if series.len() > 1 {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// One bar per named value (values from 0).
pub fn bars(title: &str, y_label: &str, bars: &[(String, f64)]) -> Result<String, String> {
    let estimates: Vec<(String, f64, Option<f64>)> = bars.iter().map(|(n, v)| (n.clone(), *v, None)).collect();
    categorical(title, y_label, &estimates, true)
}

/// One point per named estimate with its 95 % confidence bar.
pub fn estimates(title: &str, y_label: &str, points: &[(String, f64, Option<f64>)]) -> Result<String, String> {
    categorical(title, y_label, points, false)
}

fn categorical(
    title: &str,
    y_label: &str,
    points: &[(String, f64, Option<f64>)],
    as_bars: bool,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let ys = span(
            points
                .iter()
                .flat_map(|(_, v, h)| [v - h.unwrap_or(0.0), v + h.unwrap_or(0.0)]),
            true,
        );
        let n = points.len().max(1);
        let names: Vec<String> = points.iter().map(|p| p.0.clone()).collect();
        let wide_y = wide(&ys);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(-0.5f64..n as f64 - 0.5, ys)
            .map_err(|e| e.to_string())?;
        let name = |x: &f64| {
            let i = x.round();
            if (x - i).abs() < 1e-9 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let mut mesh = chart.configure_mesh();
        mesh.disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&name)
            .y_desc(y_label);
        if wide_y {
            mesh.y_label_formatter(&scientific);
        }
        mesh.draw().map_err(|e| e.to_string())?;
        let c = colour(0);
        for (i, (_, value, half)) in points.iter().enumerate() {
            let x = i as f64;
            if as_bars {
                chart
                    .draw_series([Rectangle::new([(x - 0.35, 0.0), (x + 0.35, *value)], c.filled())])
                    .map_err(|e| e.to_string())?;
            } else {
                chart
                    .draw_series([Circle::new((x, *value), 4, c.filled())])
                    .map_err(|e| e.to_string())?;
                if let Some(h) = half {
                    chart
                        .draw_series([confidence_bar(x, value - h, value + h, c)])
                        .map_err(|e| e.to_string())?;
                }
            }
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draws on a thread of its own and says whether it ended within a
    /// minute (it takes milliseconds): a hang fails the test rather than
    /// stalling the whole run.
    fn ends(draw: impl FnOnce() -> Result<String, String> + Send + 'static) -> Result<String, String> {
        let (done, ended) = std::sync::mpsc::channel();
        std::thread::spawn(move || done.send(draw()));
        ended
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the chart is drawn within a minute")
    }

    fn one(points: Vec<(f64, f64)>) -> Vec<Series> {
        vec![Series {
            name: "latency".into(),
            points,
        }]
    }

    #[test]
    fn values_near_the_largest_float_are_drawn_not_looped_over() {
        // A trace's duration of 1e308 s: the latency CDF's logarithmic axis
        // ran a decade past the largest float and plotters never ended.
        for points in [
            vec![(0.25, 0.0), (1e308, 1.0)],
            vec![(1e308, 0.0), (1e308, 1.0)],
            vec![(-1e308, 0.0), (1e308, 1.0)],
            vec![(0.0, -f64::MAX), (1.0, f64::MAX)],
        ] {
            for axis in [Axis::Linear, Axis::Log] {
                let series = one(points.clone());
                let svg = ends(move || lines("latency", "s", "fraction", &series, axis)).unwrap();
                assert!(svg.starts_with("<svg"), "{axis:?} {points:?}: {svg:.80}");
                assert!(
                    !has_long_number(&svg),
                    "{axis:?} {points:?}: a label prints every digit"
                );
            }
        }
        let bars = vec![("huge".to_string(), f64::MAX), ("small".to_string(), -f64::MAX)];
        let svg = ends(move || super::bars("peak", "B", &bars)).unwrap();
        assert!(svg.starts_with("<svg") && !has_long_number(&svg));
    }

    /// Whether the text holds a run of 30 digits.
    fn has_long_number(svg: &str) -> bool {
        svg.as_bytes().windows(30).any(|w| w.iter().all(u8::is_ascii_digit))
    }

    #[test]
    fn ordinary_ticks_keep_plotters_labels() {
        let series = one(vec![(0.0, 0.0), (3600.0, 0.5)]);
        let svg = lines("running", "time [s]", "fraction", &series, Axis::Linear).unwrap();
        let labels: Vec<&str> = svg.lines().map(str::trim).collect();
        assert!(labels.contains(&"3000.0") && labels.contains(&"0.45"), "{svg}");
        assert!(!labels.iter().any(|l| l.ends_with("e3")), "{svg}");
    }
}
