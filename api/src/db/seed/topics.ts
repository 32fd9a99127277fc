/**
 * What demo groups of each starter topic (the migration's list) are called, say about themselves and hold.
 * `{city}` and `{district}` are filled in; `related` topics are added to some groups.
 */
export interface TopicCatalog {
  slug: string;
  names: string[];
  openers: string[];
  details: string[];
  events: string[];
  outdoor: boolean;
  related: string[];
}

export const TOPIC_CATALOG: TopicCatalog[] = [
  {
    slug: 'hiking', outdoor: true, related: ['running', 'photography'],
    names: ['{city} Trail Walkers', '{district} Hiking Club', 'Weekend Hikers of {city}', 'Peaks & Paths {city}'],
    openers: ['We walk the trails around {city} on weekends, rain or shine.', 'A friendly hiking group for people who would rather be outside.'],
    details: ['Hikes range from easy three-hour loops to full-day climbs, and every route is posted with distance and elevation.', 'Bring water, good shoes and something to share at the summit.'],
    events: ['Sunrise hike to the lookout', 'Full-day ridge walk', 'Easy lakeside loop', 'Autumn colours hike', 'Night hike with headlamps'],
  },
  {
    slug: 'tech', outdoor: false, related: ['startups', 'writing'],
    names: ['{city} Web Developers', '{district} Tech Talks', 'TypeScript {city}', '{city} Open Source Night'],
    openers: ['Developers, designers and the curious meet to share what they are building in {city}.', 'Talks, demos and pizza for people who make software.'],
    details: ['Each evening has two short talks and plenty of time to chat; first-time speakers are very welcome.', 'We keep a friendly, beginner-safe space and follow a code of conduct.'],
    events: ['Lightning talks night', 'GraphQL in production', 'Hack night: bring a side project', 'Intro to Rust workshop', 'Accessibility for web developers'],
  },
  {
    slug: 'books', outdoor: false, related: ['writing', 'languages'],
    names: ['{district} Book Club', '{city} Readers Circle', 'Slow Readers of {city}', 'The {district} Novel Society'],
    openers: ['One book a month, one evening to talk about it, in {district}.', 'A book club for people who finish the book, and for people who do not.'],
    details: ['We alternate between contemporary fiction, classics and the odd piece of non-fiction chosen by vote.', 'Discussion is relaxed and nobody minds spoilers once we are there.'],
    events: ['Monthly book discussion', 'Summer reading swap', 'Author Q&A evening', 'Classics night: Middlemarch', 'Short story potluck'],
  },
  {
    slug: 'languages', outdoor: false, related: ['books', 'volunteering'],
    names: ['{city} Language Exchange', 'Polyglots of {city}', '{district} Conversation Café', 'Speak Easy {city}'],
    openers: ['Practise a language you are learning with people who speak it, and help them with yours.', 'A weekly language exchange in {city}: tables for Spanish, English, German, Japanese and more.'],
    details: ['Every table switches language halfway through so everyone gets to speak and to help.', 'All levels are welcome; beginners get their own table.'],
    events: ['Language exchange evening', 'Spanish–English tandem night', 'Beginner conversation table', 'Language games night', 'Pronunciation workshop'],
  },
  {
    slug: 'parents', outdoor: false, related: ['gardening', 'cooking'],
    names: ['{district} Parents & Toddlers', '{city} New Parents Network', 'Playground Parents {district}', 'Dads of {city}'],
    openers: ['A place for parents in {district} to meet, swap tips and let the kids play.', 'New to parenting in {city}? So were we.'],
    details: ['Most meetups are in the morning with space for prams, and some are evenings for the grown-ups alone.', 'We share hand-me-downs, babysitting swaps and recommendations for everything from doctors to cafés.'],
    events: ['Morning playdate in the park', 'Parents\' evening out', 'Toy and clothes swap', 'Sleep and routines talk', 'Family picnic'],
  },
  {
    slug: 'running', outdoor: true, related: ['hiking', 'cycling'],
    names: ['{district} Run Club', '{city} Social Runners', 'Early Birds Running {city}', '{city} Trail & Road Runners'],
    openers: ['We run together around {district} several times a week at a conversational pace.', 'A social running club in {city}: no one gets left behind.'],
    details: ['There are pace groups from 7:00/km down to 4:30/km and a coffee afterwards.', 'Whether you are training for a marathon or your first 5K, you will find people at your pace.'],
    events: ['Tuesday evening 8K', 'Saturday long run', 'Interval session on the track', 'Parkrun meet-up', 'Easy recovery jog and breakfast'],
  },
  {
    slug: 'board-games', outdoor: false, related: ['film', 'tech'],
    names: ['{district} Board Gamers', '{city} Tabletop Night', 'Meeple Society {city}', 'Dice & Coffee {district}'],
    openers: ['Board game nights in {district} with a shelf of over two hundred games.', 'From quick party games to four-hour strategy epics, we play it all in {city}.'],
    details: ['Someone is always happy to teach the rules, so come alone or bring friends.', 'Bring a game you love or pick one from the library; snacks are encouraged.'],
    events: ['Board game night', 'Strategy games marathon', 'Learn to play: Go', 'Cooperative games evening', 'Game design playtest night'],
  },
  {
    slug: 'photography', outdoor: true, related: ['art', 'hiking'],
    names: ['{city} Photo Walks', '{district} Street Photographers', 'Film Photography {city}', '{city} Camera Club'],
    openers: ['Photo walks through {city} for every kind of camera, phone included.', 'We explore {district} with cameras and share our favourite shots afterwards.'],
    details: ['Each walk has a theme and ends at a café where we look at each other\'s pictures.', 'Beginners get tips on composition and light; the experienced get good company.'],
    events: ['Golden hour photo walk', 'Night photography in the old town', 'Portrait basics workshop', 'Film developing session', 'Photo critique evening'],
  },
  {
    slug: 'music', outdoor: false, related: ['dance', 'art'],
    names: ['{city} Jam Session', '{district} Community Choir', 'Open Mic {city}', '{city} Folk Music Circle'],
    openers: ['Musicians of every level meet to play together in {district}.', 'A community for music lovers in {city}: jams, open mics and the occasional concert outing.'],
    details: ['Bring an instrument or just your voice; we have a piano, a drum kit and spare guitars.', 'Songbooks are shared before each session so everyone can join in.'],
    events: ['Open jam night', 'Choir rehearsal', 'Open mic evening', 'Songwriting circle', 'Concert outing'],
  },
  {
    slug: 'cooking', outdoor: false, related: ['gardening', 'parents'],
    names: ['{city} Home Cooks', '{district} Supper Club', 'Cook & Eat {city}', '{city} Fermentation Friends'],
    openers: ['We cook together, eat together and swap recipes in {city}.', 'A supper club in {district} where every evening explores a different cuisine.'],
    details: ['Each session has a host who teaches a dish and everyone cooks at their own station.', 'Ingredients are shared and costs split evenly; dietary needs are always catered for.'],
    events: ['Fresh pasta workshop', 'Dumpling night', 'Sourdough basics', 'Street food potluck', 'Kimchi and ferments class'],
  },
  {
    slug: 'cycling', outdoor: true, related: ['running', 'volunteering'],
    names: ['{city} Bike Rides', '{district} Cycling Club', 'Coffee Ride {city}', '{city} Gravel Gang'],
    openers: ['Group rides in and around {city} for road, gravel and city bikes.', 'We ride at a social pace and stop for coffee halfway.'],
    details: ['Routes are shared in advance with distance and pace, and a sweeper makes sure nobody rides alone.', 'Helmets are required and lights are a must after dark.'],
    events: ['Sunday coffee ride', 'Evening city loop', 'Gravel adventure day', 'Bike maintenance basics', 'Sunset ride to the coast'],
  },
  {
    slug: 'yoga', outdoor: false, related: ['running', 'dance'],
    names: ['{district} Yoga Circle', '{city} Yoga in the Park', 'Slow Flow {city}', '{city} Morning Yoga'],
    openers: ['Community yoga in {district}, by donation and for every body.', 'Gentle yoga sessions in {city} to start the day or end it calmly.'],
    details: ['Teachers from the community take turns leading, and mats are available to borrow.', 'No experience needed; every pose has an easier version.'],
    events: ['Sunrise yoga', 'Yin and meditation evening', 'Yoga for runners', 'Beginner flow class', 'Breathwork workshop'],
  },
  {
    slug: 'startups', outdoor: false, related: ['tech', 'writing'],
    names: ['{city} Founders Breakfast', '{district} Startup Circle', 'Bootstrappers {city}', '{city} Product People'],
    openers: ['Founders and would-be founders in {city} meet to share what works and what does not.', 'Honest conversations about building companies, without the pitch-deck theatre.'],
    details: ['Each meetup has one founder story followed by small-group discussions.', 'We talk about hiring, fundraising, pricing and keeping your sanity.'],
    events: ['Founders breakfast', 'Pitch practice night', 'Pricing your product', 'Fundraising AMA', 'Failure stories evening'],
  },
  {
    slug: 'writing', outdoor: false, related: ['books', 'art'],
    names: ['{city} Writers Workshop', '{district} Writing Sprint', 'Poets of {city}', '{city} Shut Up & Write'],
    openers: ['Writers in {city} meet to write side by side and share work in progress.', 'Fiction, poetry, essays or your novel-in-a-drawer: all writing welcome.'],
    details: ['Sessions start with a short prompt, then an hour of quiet writing, then optional feedback.', 'Feedback is kind and specific, and nobody has to read aloud.'],
    events: ['Writing sprint', 'Poetry reading night', 'Feedback circle', 'Flash fiction challenge', 'Editing workshop'],
  },
  {
    slug: 'film', outdoor: false, related: ['board-games', 'art'],
    names: ['{city} Film Club', '{district} Cinema Society', 'Classic Movies {city}', '{city} Documentary Nights'],
    openers: ['We watch films together in {city} and talk about them over a drink afterwards.', 'A film club in {district} for classics, world cinema and documentaries.'],
    details: ['The group votes on each month\'s programme and someone introduces the film.', 'We go to the cinema together and sometimes host screenings of our own.'],
    events: ['Monthly screening and discussion', 'Documentary night', 'Short film festival outing', 'Hitchcock double bill', 'Film quiz'],
  },
  {
    slug: 'volunteering', outdoor: true, related: ['gardening', 'languages'],
    names: ['{city} Volunteers', '{district} Neighbours Helping', 'Clean Up {city}', '{city} Community Helpers'],
    openers: ['We volunteer together in {city}: clean-ups, food banks and neighbourhood projects.', 'Making {district} a little better, one Saturday at a time.'],
    details: ['Every event lists what to bring and what to expect, and tools are provided.', 'Come once or every week; every pair of hands helps.'],
    events: ['Park clean-up morning', 'Food bank sorting shift', 'Tree planting day', 'Repair café', 'Community garden build'],
  },
  {
    slug: 'art', outdoor: false, related: ['photography', 'writing'],
    names: ['{city} Sketch Club', '{district} Urban Sketchers', 'Life Drawing {city}', '{city} Watercolour Circle'],
    openers: ['Artists and hobbyists in {city} meet to draw, paint and make things together.', 'We sketch {district} on location and share our sketchbooks afterwards.'],
    details: ['Materials are simple and beginners are very welcome.', 'Some sessions are guided, others are open studio time.'],
    events: ['Urban sketching walk', 'Life drawing session', 'Watercolour basics', 'Museum sketching afternoon', 'Zine-making night'],
  },
  {
    slug: 'dance', outdoor: false, related: ['music', 'yoga'],
    names: ['{city} Salsa Social', '{district} Swing Dancers', 'Tango {city}', '{city} Dance Collective'],
    openers: ['Social dancing in {city} for beginners and regulars alike.', 'Every night starts with a lesson and turns into a social dance.'],
    details: ['No partner needed; we rotate so everyone dances with everyone.', 'Comfortable shoes and a good mood are all you need.'],
    events: ['Beginner lesson and social', 'Swing night', 'Salsa practica', 'Tango milonga', 'Dance workshop weekend'],
  },
  {
    slug: 'climbing', outdoor: true, related: ['hiking', 'yoga'],
    names: ['{city} Bouldering Crew', '{district} Climbers', 'Crag Weekends {city}', '{city} Climbing Partners'],
    openers: ['Climbers in {city} meet at the wall during the week and at the crag on weekends.', 'Find climbing partners in {district}, from first-timers to projecting regulars.'],
    details: ['Experienced members run belay checks and technique sessions.', 'Shoes and harnesses can be rented at every venue we use.'],
    events: ['Bouldering night', 'Outdoor crag day', 'Intro to lead climbing', 'Technique clinic', 'Climbing and pizza social'],
  },
  {
    slug: 'gardening', outdoor: true, related: ['cooking', 'volunteering'],
    names: ['{city} Urban Gardeners', '{district} Allotment Club', 'Seed Swap {city}', '{city} Balcony Growers'],
    openers: ['Gardeners in {city} share seeds, tips and harvests.', 'From balcony pots to allotments, we grow food and flowers in {district}.'],
    details: ['We visit each other\'s gardens, run seed swaps and work on a shared community plot.', 'Ask anything: someone here has killed that plant before and learned why.'],
    events: ['Spring seed swap', 'Community plot work day', 'Composting workshop', 'Garden visits tour', 'Harvest potluck'],
  },
];

/** Sentences that close a group's description, whatever its topic. */
export const CLOSERS = [
  'New faces are always welcome.',
  'Join us and say hello in the discussion threads.',
  'Most events are free; a few ask for a small contribution to cover costs.',
  'We are run by volunteers and happy to hear your ideas.',
  'Come as you are, stay for the people.',
  'Meetups are in English unless the event says otherwise.',
];
