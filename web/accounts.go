package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

type registerRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Company  string `json:"company"`
	Country  string `json:"country"`
	Startup  bool   `json:"startup"`
}

func (s *Server) register(c *gin.Context) {
	var req registerRequest
	if !s.decode(c, &req) {
		return
	}
	u, err := s.judging.Register(c.Request.Context(), judging.Registration(req), clientIP(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": u.ID})
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type tokenResponse struct {
	Token     string       `json:"token"`
	Role      judging.Role `json:"role"`
	ExpiresAt time.Time    `json:"expires_at"`
	UserID    string       `json:"user_id"`
}

func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if !s.decode(c, &req) {
		return
	}
	if req.Email == "" || req.Password == "" {
		s.writeError(c, unprocessable("missing_field", "email and password are required"))
		return
	}
	u, err := s.judging.Login(c.Request.Context(), req.Email, req.Password, clientIP(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.issue(c, u, auth.TokenTTL, http.StatusOK)
}

// clientIP is who per-IP limits count: the peer address, or X-Forwarded-For when the peer is
// a trusted proxy (New sets them). Never empty, which would mean a caller inside the process.
func clientIP(c *gin.Context) string {
	if ip := c.ClientIP(); ip != "" {
		return ip
	}
	return "unknown"
}

// issue answers with a fresh token for u, a secret (noStore).
func (s *Server) issue(c *gin.Context, u judging.User, ttl time.Duration, status int) {
	tk, err := s.token(u, ttl)
	if err != nil {
		s.writeError(c, err)
		return
	}
	noStore(c)
	c.JSON(status, tk)
}

// token is a fresh token for u, lasting ttl.
func (s *Server) token(u judging.User, ttl time.Duration) (tokenResponse, error) {
	tok, exp, err := s.tokens.Issue(judging.Actor{ID: u.ID, Role: u.Role}, ttl)
	if err != nil {
		return tokenResponse{}, err
	}
	return tokenResponse{Token: tok, Role: u.Role, ExpiresAt: exp, UserID: u.ID}, nil
}

type inviteRequest struct {
	InviteToken string `json:"invite_token"`
	Password    string `json:"password"`
}

func (s *Server) acceptInvite(c *gin.Context) {
	var req inviteRequest
	if !s.decode(c, &req) {
		return
	}
	u, err := s.judging.AcceptInvite(c.Request.Context(), req.InviteToken, req.Password)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.issue(c, u, auth.TokenTTL, http.StatusOK)
}

type screenRequest struct {
	Name string `json:"name"`
}

func (s *Server) createScreen(c *gin.Context) {
	var req screenRequest
	if !s.decode(c, &req) {
		return
	}
	u, err := s.judging.CreateScreen(c.Request.Context(), auth.ActorFrom(c), req.Name)
	if err != nil {
		s.writeError(c, err)
		return
	}
	tk, err := s.token(u, ScreenTokenTTL)
	if err != nil {
		s.writeError(c, err)
		return
	}
	noStore(c)
	c.JSON(http.StatusCreated, screenCreated{ID: u.ID, tokenResponse: tk})
}

// screenCreated is the answer to POST /screens: the screen's id (for DELETE /screens/{id})
// and its token.
type screenCreated struct {
	ID string `json:"id"`
	tokenResponse
}

type judgeRequest struct {
	Name         string   `json:"name"`
	Email        string   `json:"email"`
	Affiliations []string `json:"affiliations"`
	Categories   []string `json:"categories"`
}

func (s *Server) createJudge(c *gin.Context) {
	var req judgeRequest
	if !s.decode(c, &req) {
		return
	}
	u, invite, err := s.judging.CreateJudge(c.Request.Context(), auth.ActorFrom(c), judging.JudgeInput(req))
	if err != nil {
		s.writeError(c, err)
		return
	}
	noStore(c)
	c.JSON(http.StatusCreated, gin.H{"id": u.ID, "invite_token": invite})
}

// reinvite gives a judge a new invitation, voiding the earlier one.
func (s *Server) reinvite(c *gin.Context) {
	invite, err := s.judging.InviteJudge(c.Request.Context(), auth.ActorFrom(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	noStore(c)
	c.JSON(http.StatusCreated, gin.H{"invite_token": invite})
}

// screenResponse is a ceremony display as GET /screens lists it.
type screenResponse struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

func (s *Server) listScreens(c *gin.Context) {
	us, err := s.judging.Screens(c.Request.Context(), auth.ActorFrom(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	out := make([]screenResponse, len(us))
	for i, u := range us {
		out[i] = screenResponse{ID: u.ID, Name: u.Name, CreatedAt: u.CreatedAt}
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) deleteScreen(c *gin.Context) {
	if err := s.judging.DeleteScreen(c.Request.Context(), auth.ActorFrom(c), c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) listJudges(c *gin.Context) {
	js, err := s.judging.Judges(c.Request.Context(), auth.ActorFrom(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, js)
}
