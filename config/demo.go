package config

import (
	"time"

	"github.com/awards-dev/awards/judging"
)

// DemoProgramme is Milipol2023 with dates moved relative to now: submissions open for a week
// (close = now + 7 days, to the second), judging closes a week after that, and the ceremony is
// the next day at 14:00 Europe/Paris time.
func DemoProgramme(now time.Time) judging.Programme {
	p := Milipol2023()
	paris, err := time.LoadLocation(p.Timezone)
	if err != nil {
		panic("config: " + err.Error()) // time/tzdata is embedded: this cannot happen
	}
	p.Name = "Milipol Innovation Awards (demo)"
	p.SubmissionsClose = now.Add(7 * 24 * time.Hour).Truncate(time.Second).In(paris)
	p.JudgingClose = p.SubmissionsClose.Add(7 * 24 * time.Hour)
	y, m, d := p.JudgingClose.Date()
	p.CeremonyAt = time.Date(y, m, d+1, 14, 0, 0, 0, paris)
	return p
}

// DemoExhibitor is a fictional company with an exhibitor account.
type DemoExhibitor struct {
	Email, Password, Company, Country string
	Startup                           bool
}

// DemoEntry is one entry of a demo exhibitor, to be created and submitted.
type DemoEntry struct {
	ExhibitorEmail, CategoryID, Title, Summary, Description string
	Links                                                   []string
}

// DemoJudge is a judge to invite; Password is the one the demo sets through the invitation.
type DemoJudge struct {
	Name, Email, Password    string
	Affiliations, Categories []string
}

// Demo is everything `awards --demo` creates besides the programme.
type Demo struct {
	AdminEmail, AdminPassword string
	Exhibitors                []DemoExhibitor
	Entries                   []DemoEntry // 30, all to be submitted, 5 in each category
	Judges                    []DemoJudge // 12, each category judged by at least 4
	ScreenName                string      // the ceremony display to create
}

// The demo's shared passwords, one per role, so the README can list them.
const (
	DemoAdminEmail        = "admin@demo.awards.test"
	DemoAdminPassword     = "demo-admin-2023"
	DemoExhibitorPassword = "demo-exhibitor-2023"
	DemoJudgePassword     = "demo-judge-2023"
)

// DemoData returns the demo accounts and entries: fictional companies, invented judges and
// fixed, readable passwords. A fresh copy on each call.
func DemoData() Demo {
	d := Demo{
		AdminEmail:    DemoAdminEmail,
		AdminPassword: DemoAdminPassword,
		ScreenName:    "Main stage screen",
	}
	for _, e := range demoExhibitors {
		d.Exhibitors = append(d.Exhibitors, DemoExhibitor{
			Email:    e.email,
			Password: DemoExhibitorPassword,
			Company:  e.company,
			Country:  e.country,
			Startup:  e.startup,
		})
	}
	for _, e := range demoEntries {
		d.Entries = append(d.Entries, DemoEntry{
			ExhibitorEmail: e.exhibitor,
			CategoryID:     e.category,
			Title:          e.title,
			Summary:        e.summary,
			Description:    e.description,
			Links:          append([]string{}, e.links...),
		})
	}
	for _, j := range demoJudges {
		d.Judges = append(d.Judges, DemoJudge{
			Name:         j.name,
			Email:        j.email,
			Password:     DemoJudgePassword,
			Affiliations: append([]string{}, j.affiliations...),
			Categories:   append([]string{}, j.categories...),
		})
	}
	return d
}

// The demo's exhibitors: invented companies, not real ones.
var demoExhibitors = []struct {
	email, company, country string
	startup                 bool
}{
	{"exhibitor1@demo.awards.test", "Argonce Cyber", "FR", true},
	{"exhibitor2@demo.awards.test", "Veilcore Systems", "GB", false},
	{"exhibitor3@demo.awards.test", "Strażnica Labs", "PL", true},
	{"exhibitor4@demo.awards.test", "Quietwave Labs", "GB", true},
	{"exhibitor5@demo.awards.test", "Saebyeok Vision", "KR", false},
	{"exhibitor6@demo.awards.test", "Brumaria Seguridad", "ES", false},
	{"exhibitor7@demo.awards.test", "Lumivera Safety", "US", false},
	{"exhibitor8@demo.awards.test", "Wachtfeld Sicherheitstechnik", "DE", false},
	{"exhibitor9@demo.awards.test", "Torrevigile Sistemi", "IT", false},
	{"exhibitor10@demo.awards.test", "Atemwerk", "DE", true},
	{"exhibitor11@demo.awards.test", "Northbrae Response", "CA", false},
	{"exhibitor12@demo.awards.test", "Meuseguard", "BE", false},
	{"exhibitor13@demo.awards.test", "Tzofit Sensing", "IL", false},
	{"exhibitor14@demo.awards.test", "Ciel Veilleur", "FR", true},
	{"exhibitor15@demo.awards.test", "Polderwacht", "NL", true},
	{"exhibitor16@demo.awards.test", "Kagemori Robotics", "JP", false},
	{"exhibitor17@demo.awards.test", "Civica Allerta", "IT", true},
	{"exhibitor18@demo.awards.test", "Groenwacht Mobility", "NL", true},
	{"exhibitor19@demo.awards.test", "Fjällvakt", "SE", false},
	{"exhibitor20@demo.awards.test", "Ridgeway Signal", "CA", false},
}

// The demo's entries, five per category; ten exhibitors enter two categories.
var demoEntries = []struct {
	exhibitor, category, title, summary, description string
	links                                            []string
}{
	// Cyber security
	{"exhibitor1@demo.awards.test", "cyber-security", "Sovereign SOC-in-a-box for municipalities",
		"A rack-sized security operations centre that a town hall can run with two people.",
		"Log collection, detection rules tuned for local-government software and a managed on-call rota, delivered as one appliance hosted on French soil. Alerts arrive in plain French with the next action to take.",
		[]string{"https://argonce-cyber.example/soc-box"}},
	{"exhibitor2@demo.awards.test", "cyber-security", "Deception grid for industrial control networks",
		"Decoy PLCs and HMIs that reveal intruders in operational technology networks within minutes.",
		"Lightweight sensors emulate the controllers already present on the plant floor. Any interaction with a decoy is an alert with near-zero false positives, mapped to the ICS ATT&CK matrix.",
		[]string{"https://veilcore.example/deception", "https://veilcore.example/whitepaper.pdf"}},
	{"exhibitor3@demo.awards.test", "cyber-security", "Phishing-resistant badge login for control rooms",
		"Operators unlock shared consoles with their existing access badge and a FIDO2 key in one gesture.",
		"A reader clipped to the console binds the badge to a hardware-backed passkey, so shared accounts and passwords on sticky notes disappear from dispatch and CCTV rooms.",
		[]string{"https://straznica-labs.example"}},
	{"exhibitor4@demo.awards.test", "cyber-security", "End-to-end encrypted push-to-talk over 5G",
		"Group voice for field teams that stays encrypted from handset to handset, even on public networks.",
		"Mission-critical push-to-talk with keys held by the customer, interoperable with existing radio gateways and certified for restricted information.",
		[]string{"https://quietwave.example/ptt"}},
	{"exhibitor5@demo.awards.test", "cyber-security", "Tamper detection for CCTV streams",
		"Detects replayed, frozen or injected video on surveillance cameras in real time.",
		"A watermark and timing check at the edge proves each frame is live; the video management system is warned when a stream is spoofed or a camera is swapped.",
		[]string{"https://saebyeok-vision.example/streamguard"}},

	// Large event security management
	{"exhibitor5@demo.awards.test", "large-event-security", "Crowd density forecasting from existing CCTV",
		"Predicts dangerous crowd densities fifteen minutes ahead from the cameras a venue already has.",
		"Anonymous head counts feed a flow model of the venue; stewards get a heat map and a suggested gate to open before a bottleneck forms. No face is stored.",
		[]string{"https://saebyeok-vision.example/crowdcast"}},
	{"exhibitor6@demo.awards.test", "large-event-security", "Walk-through screening lane without divestment",
		"Screens 1,800 visitors an hour for weapons without asking them to empty their pockets.",
		"Millimetre-wave and magnetic sensors in one lane, with an operator tablet that shows only the body area to check. Designed for stadium gates and fan zones.",
		[]string{"https://brumaria.example/lane"}},
	{"exhibitor7@demo.awards.test", "large-event-security", "Silent alert app for stewards",
		"One long press sends a steward's position and a live audio channel to the control room.",
		"Works on the stewards' own phones over the venue Wi-Fi or 4G, with indoor positioning from beacons; the control room sees every alert on the venue map.",
		[]string{"https://lumivera.example/steward"}},
	{"exhibitor8@demo.awards.test", "large-event-security", "Rapid-deploy hostile vehicle barrier",
		"A crash-rated road blocker that two people install in twenty minutes without anchoring.",
		"Modular steel elements tested to IWA 14-1 stop a 7.5 t truck at 48 km/h, and let emergency vehicles through on a hinged section.",
		[]string{"https://wachtfeld.example/hvm"}},
	{"exhibitor9@demo.awards.test", "large-event-security", "Accreditation fraud detection",
		"Finds forged and shared accreditation badges at the gate by checking each scan against the whole event.",
		"Each scan is compared with the holder's previous movements and photo; impossible journeys and duplicate use raise an alert at the next checkpoint.",
		[]string{"https://torrevigile.example/accredit"}},

	// Individual equipment / first responder protection
	{"exhibitor7@demo.awards.test", "first-responder-protection", "Body-worn man-down detector",
		"Detects a fall or a motionless officer and calls for help with the officer's position.",
		"A 60 g clip-on unit pairs with the officer's radio; it tells a fall from a crouch, and the alarm can be cancelled within ten seconds.",
		[]string{"https://lumivera.example/mandown"}},
	{"exhibitor8@demo.awards.test", "first-responder-protection", "Modular stab- and spike-resistant vest",
		"A covert vest whose panels are swapped in minutes to match the threat of the day.",
		"Certified to HOSDB KR1/SP1, 20 % lighter than the panels it replaces, with a cooling mesh for long shifts.",
		[]string{"https://wachtfeld.example/vest"}},
	{"exhibitor10@demo.awards.test", "first-responder-protection", "Smart escape hood with air-quality sensing",
		"An escape hood that tells its wearer how long the filter will last in the smoke they are in.",
		"A sensor in the filter reads carbon monoxide and hydrogen cyanide and shows the remaining minutes on a small display inside the visor.",
		[]string{"https://atemwerk.example/hood"}},
	{"exhibitor11@demo.awards.test", "first-responder-protection", "Heat-stress monitor for firefighters",
		"Warns the incident commander before a firefighter reaches dangerous core temperature.",
		"A chest-strap sensor estimates core temperature from heart rate and skin temperature and relays it through the breathing apparatus telemetry.",
		[]string{"https://northbrae.example/heat"}},
	{"exhibitor12@demo.awards.test", "first-responder-protection", "Lightweight ballistic helmet with integrated comms",
		"A NIJ IIIA helmet with bone-conduction radio and hearing protection built in.",
		"The shell weighs 1.1 kg; the comms module clips into the rail and keeps the ears free to hear the scene.",
		[]string{"https://meuseguard.example/helmet"}},

	// Drone / counter-drone systems and robotics
	{"exhibitor2@demo.awards.test", "drones-robotics", "Drone forensics toolkit",
		"Extracts flight logs, photos and controller pairings from seized drones in the field.",
		"Supports the forty most common consumer models; the report is signed and ready for court, and the extraction never modifies the drone's memory.",
		[]string{"https://veilcore.example/drone-forensics"}},
	{"exhibitor13@demo.awards.test", "drones-robotics", "Passive RF drone detection mesh",
		"Small passive sensors on lamp posts detect, classify and locate drones and their pilots.",
		"No emission, so it is usable in cities and airports; triangulation across the mesh locates the remote pilot to within 50 m.",
		[]string{"https://tzofit.example/mesh"}},
	{"exhibitor14@demo.awards.test", "drones-robotics", "Tethered overwatch drone for events",
		"A tethered drone that stays up for twelve hours above a venue with a thermal and day camera.",
		"Powered through the tether from a small ground unit, it needs no battery swaps and flies under a simplified authorisation.",
		[]string{"https://ciel-veilleur.example"}},
	{"exhibitor15@demo.awards.test", "drones-robotics", "Net-capture interceptor drone",
		"An autonomous interceptor that captures a hostile drone in a net and brings it down under a parachute.",
		"Cued by any radar or RF detector, it reaches 120 km/h and keeps the captured drone intact for investigators.",
		[]string{"https://polderwacht.example/interceptor"}},
	{"exhibitor16@demo.awards.test", "drones-robotics", "Stair-climbing EOD reconnaissance robot",
		"A tracked robot that climbs stairs and opens doors to inspect a suspicious package.",
		"Weighs 28 kg, fits in a car boot and is driven from a tablet; its arm reaches 1.6 m and carries an X-ray panel.",
		[]string{"https://kagemori.example/eod"}},

	// Crisis management
	{"exhibitor1@demo.awards.test", "crisis-management", "Cyber crisis exercise simulator",
		"Runs a realistic ransomware crisis exercise for a whole executive committee in half a day.",
		"Scripted injects, simulated press and a scoring of decisions; the debrief shows where the crisis plan held and where it broke.",
		[]string{"https://argonce-cyber.example/exercise"}},
	{"exhibitor9@demo.awards.test", "crisis-management", "Common operational picture for multi-agency command",
		"One map shared by police, fire, medical and city services during a major incident.",
		"Each agency keeps its own systems; the platform merges their feeds, keeps a signed log of decisions and works offline in a command vehicle.",
		[]string{"https://torrevigile.example/cop"}},
	{"exhibitor11@demo.awards.test", "crisis-management", "Wildfire evacuation digital twin",
		"Simulates evacuation routes against the fire's predicted spread and traffic in real time.",
		"Combines fire spread models, road sensors and population data to tell which districts to evacuate first and by which roads.",
		[]string{"https://northbrae.example/evac"}},
	{"exhibitor13@demo.awards.test", "crisis-management", "GPS triage tags for mass-casualty incidents",
		"Electronic triage tags that put every casualty on the incident map as soon as they are tagged.",
		"Paramedics set the triage colour with one button; the command post sees casualties, colours and evacuations update live.",
		[]string{"https://tzofit.example/triage"}},
	{"exhibitor17@demo.awards.test", "crisis-management", "Multilingual cell-broadcast alert composer",
		"Writes public warning messages in twelve languages from approved templates in under a minute.",
		"Templates are validated in advance by the authority; the composer checks length limits per network and previews the alert on a phone.",
		[]string{"https://civica-allerta.example"}},

	// Corporate social responsibility
	{"exhibitor6@demo.awards.test", "csr", "Low-energy screening lane",
		"The same screening throughput with 60 % less electricity and a five-year longer service life.",
		"Sensors sleep between visitors and the lane is built from recyclable aluminium; a yearly energy report is provided per site.",
		[]string{"https://brumaria.example/green"}},
	{"exhibitor12@demo.awards.test", "csr", "Take-back and recycling of body armour",
		"Collects expired helmets and vests from any brand and recycles their fibres.",
		"Aramid and polyethylene are separated and reused in industrial textiles; each force gets a certificate of the tonnes kept out of landfill.",
		[]string{"https://meuseguard.example/takeback"}},
	{"exhibitor18@demo.awards.test", "csr", "Electric patrol vehicle retrofit kit",
		"Converts existing patrol vans to electric drive in three days, keeping their fit-out.",
		"Saves the embodied carbon of a new vehicle; the kit keeps the siren, lights and radio installation and gives 220 km of range.",
		[]string{"https://groenwacht.example"}},
	{"exhibitor19@demo.awards.test", "csr", "Protective textiles from recycled aramid",
		"Firefighter and police garments woven from recycled aramid with the same certified protection.",
		"Half the fibre comes from worn-out garments; the supply chain is audited and every garment carries a traceability code.",
		[]string{"https://fjallvakt.example/textiles"}},
	{"exhibitor20@demo.awards.test", "csr", "Visual and haptic alarms for deaf staff",
		"Fire and lockdown alarms that reach deaf and hard-of-hearing staff through light and vibration.",
		"A wrist device and strobe beacons connect to the existing alarm panel, so no one misses an evacuation order.",
		[]string{"https://ridgeway-signal.example"}},
}

// The demo's judges: invented people. Four have an exhibitor's company among their
// affiliations, written with another case or spacing, so that assignment must avoid them.
var demoJudges = []struct {
	name, email              string
	affiliations, categories []string
}{
	{"Claire Fontaine-Roux", "judge1@demo.awards.test",
		[]string{"Institut de recherche en sûreté numérique", "ARGONCE  CYBER"},
		[]string{"cyber-security", "crisis-management"}},
	{"Markus Oberländer", "judge2@demo.awards.test",
		[]string{"Landesakademie für Polizeitechnik", "wachtfeld sicherheitstechnik"},
		[]string{"first-responder-protection", "large-event-security"}},
	{"Aisha Rahman", "judge3@demo.awards.test",
		[]string{" Veilcore  Systems "},
		[]string{"cyber-security", "drones-robotics"}},
	{"Tomasz Wierzbicki", "judge4@demo.awards.test",
		[]string{"Institute for Public Safety Research, Warsaw"},
		[]string{"cyber-security", "large-event-security", "csr"}},
	{"Elena Márquez Ruiz", "judge5@demo.awards.test",
		[]string{"Escuela Regional de Protección Civil"},
		[]string{"large-event-security", "crisis-management", "first-responder-protection"}},
	{"Yuki Tanabe", "judge6@demo.awards.test",
		[]string{"Disaster Robotics Research Centre"},
		[]string{"drones-robotics", "first-responder-protection", "csr"}},
	{"Daniel Cohen-Lévy", "judge7@demo.awards.test",
		[]string{"Airspace Security Studies Group", "tzofit   sensing"},
		[]string{"drones-robotics", "crisis-management"}},
	{"Ingrid Solberg", "judge8@demo.awards.test",
		[]string{"Nordic Forum for Responsible Security"},
		[]string{"csr", "first-responder-protection"}},
	{"Marco Bellandi", "judge9@demo.awards.test",
		[]string{"Osservatorio sulle emergenze urbane"},
		[]string{"crisis-management", "large-event-security", "csr"}},
	{"Sophie Van den Broeck", "judge10@demo.awards.test",
		[]string{"MEUSEGUARD"},
		[]string{"first-responder-protection", "csr"}},
	{"James Okafor", "judge11@demo.awards.test",
		[]string{"Metropolitan Resilience Forum"},
		[]string{"cyber-security", "drones-robotics", "large-event-security"}},
	{"Min-jun Park", "judge12@demo.awards.test",
		[]string{"Urban Safety Lab, Seoul"},
		[]string{"drones-robotics", "crisis-management", "cyber-security"}},
}
