/** Names, bios and chat lines for the demo people. */

export const FIRST_NAMES = [
  'Ada', 'Amara', 'Aiko', 'Ana', 'Arjun', 'Astrid', 'Ben', 'Carlos', 'Chen', 'Chloe', 'Daniel', 'Elif', 'Emma', 'Fatima',
  'Felix', 'Grace', 'Hana', 'Ibrahim', 'Ingrid', 'Isabela', 'Jamal', 'Jonas', 'Kofi', 'Lars', 'Leila', 'Lucas', 'Maya',
  'Mateo', 'Mei', 'Nadia', 'Nils', 'Noah', 'Olivia', 'Omar', 'Priya', 'Rafael', 'Rohan', 'Sakura', 'Sofia', 'Tariq',
  'Thandi', 'Tomás', 'Valentina', 'Wanjiru', 'Yuki', 'Zara',
];

export const LAST_NAMES = [
  'Andersen', 'Banerjee', 'Becker', 'Costa', 'Dubois', 'Fernández', 'García', 'Hansen', 'Hernández', 'Ito', 'Johansson',
  'Kamau', 'Kim', 'Kowalski', 'Larsen', 'Lee', 'Martin', 'Mensah', 'Müller', 'Nakamura', 'Nguyen', 'Novak', 'Odhiambo',
  'Okafor', 'Olsen', 'Patel', 'Pereira', 'Rao', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Sato',
  'Tanaka', 'Wang', 'Weber', 'Wilson', 'Yamamoto',
];

export const BIOS = [
  'Always up for a walk and a good conversation.',
  'Moved here two years ago and still exploring.',
  'Weekday engineer, weekend wanderer.',
  'Coffee first, then everything else.',
  'Trying to say yes to more things this year.',
  'Teacher, reader, occasional runner.',
  '',
  '',
];

/** Titles of a group's discussion threads. */
export const DISCUSSION_TITLES = [
  'Welcome! Introduce yourself',
  'Ideas for next month',
  'Getting there: car-sharing and transit',
  'Photos from last time',
  'Recommendations thread',
  'Feedback on our meetups',
  'Looking for a buddy for the next event',
  'Useful links and resources',
];

/** Lines people post in discussion threads. */
export const DISCUSSION_LINES = [
  'Hi everyone, glad to have found this group!',
  'Thanks for organizing, last time was great.',
  'Could we try a weekend morning slot sometime?',
  'I can bring a few extra things if anyone needs them.',
  'Does anyone know a good place nearby for next time?',
  'Count me in for the next one.',
  'Great idea, I would join that.',
  'I posted a few pictures in the shared album.',
  'Welcome! You will like it here.',
  'Is there a chat group as well, or is this it?',
  'Happy to help organize something in the spring.',
  'That was my first time and everyone was so friendly.',
];

/** Lines people post in an event's own chat. */
export const EVENT_LINES = [
  'Looking forward to this!',
  'Is there anything we should bring?',
  'Running ten minutes late, save me a seat.',
  'Where exactly do we meet?',
  'See you all there.',
  'Can I bring a friend who is not a member yet?',
  'Thanks everyone, that was fun!',
  'Is it still on if it rains?',
  'I can give two people a ride from the station.',
  'First time coming, how does it usually work?',
];
