//! `squirrel lessons`: the lesson table, printed.

use squirrel::lessons::LESSONS;

/// Prints every lesson: number, title, command to try, text and staged test.
pub fn run() -> Result<(), crate::Failure> {
    println!("The Secret Squirrels guard `fluffy tail`, stage by stage:\n");
    for lesson in LESSONS {
        println!("{:02}  {}", lesson.number, lesson.title);
        println!("    try:   {}", lesson.try_first);
        println!("    read:  {}", lesson.text_path());
        println!("    test:  cargo test --test {}", lesson.test_name());
        println!("    hint:  {}\n", lesson.hint);
    }
    println!("Each lesson's command also answers to its number: `squirrel 3 keygen` is `squirrel fernet keygen`.");
    Ok(())
}
